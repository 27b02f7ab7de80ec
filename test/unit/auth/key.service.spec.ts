import { KeyService } from '../../../src/auth/key.service';
import { parseKey } from '../../../src/auth/key-secrets';
import { BadRequestError, ConflictError, NotFoundError, UnauthorizedError } from '../../../src/domain/errors';
import { MemoryStore } from '../../../src/storage/memory/memory-store';

describe('KeyService', () => {
  let store: MemoryStore;
  let keys: KeyService;
  let now = 1_000;
  beforeEach(() => {
    store = new MemoryStore();
    keys = new KeyService(store.keys, () => now);
  });

  it('shows a key once and stores only a salted scrypt hash of its secret', async () => {
    const { key, record } = await keys.create('ci', 'write');
    const parts = parseKey(key)!;
    expect(parts.id).toBe(record.id);
    const stored = (await store.keys.byId(record.id))!;
    expect(stored.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.salt).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(stored)).not.toContain(parts.secret);
    expect(record).not.toHaveProperty('hash');
    expect(await keys.authenticate(key)).toEqual({ name: 'ci', scope: 'write' });
  });

  it('refuses keys that are malformed, unknown, altered or revoked', async () => {
    const { key } = await keys.create('ci', 'read');
    await expect(keys.authenticate('not-a-key')).rejects.toThrow(UnauthorizedError);
    await expect(keys.authenticate(key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A'))).rejects.toThrow(UnauthorizedError);
    await expect(keys.authenticate(key.replace(/^hpo_[0-9a-f]{12}/, 'hpo_000000000000'))).rejects.toThrow(UnauthorizedError);
    await keys.authenticate(key);
    await keys.revoke('ci');
    await expect(keys.authenticate(key)).rejects.toThrow(UnauthorizedError);
    await expect(keys.revoke('ci')).rejects.toThrow(ConflictError);
    await expect(keys.revoke('nobody')).rejects.toThrow(NotFoundError);
    expect(await keys.anyActive()).toBe(false);
  });

  it('refuses a reused name and a name that would not read well in the audit log', async () => {
    await keys.create('ci', 'read');
    await expect(keys.create('ci', 'admin')).rejects.toThrow(ConflictError);
    await expect(keys.create('has space', 'read')).rejects.toThrow(BadRequestError);
    await expect(keys.create('', 'read')).rejects.toThrow(BadRequestError);
  });

  it('writes a key’s last use back at most once a minute', async () => {
    const { key, record } = await keys.create('ci', 'read');
    await keys.authenticate(key);
    expect((await store.keys.byId(record.id))!.lastUsedAt).toBe(1_000);
    now = 30_000;
    await keys.authenticate(key);
    expect((await store.keys.byId(record.id))!.lastUsedAt).toBe(1_000);
    now = 70_000;
    await keys.authenticate(key);
    expect((await store.keys.byId(record.id))!.lastUsedAt).toBe(70_000);
  });
});
