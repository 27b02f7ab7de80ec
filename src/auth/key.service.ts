import { BadRequestError, ConflictError, NotFoundError, UnauthorizedError } from '../domain/errors';
import { ApiKeyRecord, ApiKeyView, Principal } from './api-key.types';
import { hashSecret, keyDigest, newKey, parseKey, secretMatches } from './key-secrets';
import type { KeyRepository } from './ports/key-repository.port';
import { Scope } from './scopes';

/** Names a key may have: what `hpo keys list` shows and the audit log records. */
export const KEY_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** How long a process trusts a digest it verified before it runs scrypt again. */
const VERIFIED_TTL_MS = 10 * 60_000;

/** How often a key's last use is written back (a write per request would be the cost of every request). */
const TOUCH_EVERY_MS = 60_000;

/**
 * API keys: created with a name and a scope (the key shown once), stored as a salted scrypt hash,
 * listed, revoked, and checked on every request. A revoked key stops working at once in every
 * process, because each check reads the record; only the scrypt result is remembered.
 */
export class KeyService {
  private readonly verified = new Map<string, { id: string; until: number }>();
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly keys: KeyRepository,
    private readonly now: () => number = Date.now,
  ) {}

  /** Makes a key; the returned `key` is the only time its secret exists outside the caller. */
  async create(name: string, scope: Scope): Promise<{ key: string; record: ApiKeyView }> {
    if (!KEY_NAME_PATTERN.test(name))
      throw new BadRequestError([{ path: 'name', message: "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit" }]);
    const { id, secret, key } = newKey();
    const record: ApiKeyRecord = { id, name, scope, ...(await hashSecret(secret)), createdAt: this.now(), revokedAt: null, lastUsedAt: null };
    if (!(await this.keys.insert(record))) throw new ConflictError(`a key named ${name} exists already (names are never reused, revoked ones included)`);
    return { key, record: view(record) };
  }

  /** Every key, revoked ones included, without their hashes. */
  async list(): Promise<ApiKeyView[]> {
    return (await this.keys.list()).map(view);
  }

  /** Revokes the key named `name`. */
  async revoke(name: string): Promise<void> {
    if (!(await this.keys.revoke(name, this.now()))) {
      const known = (await this.keys.list()).some((k) => k.name === name);
      throw known ? new ConflictError(`key ${name} is revoked already`) : new NotFoundError(`no key named ${name}`);
    }
  }

  /** Whether any key is in force (then every request needs one). */
  async anyActive(): Promise<boolean> {
    return (await this.keys.countActive()) > 0;
  }

  /** The principal a presented key acts as; UnauthorizedError when it is malformed, unknown or revoked. */
  async authenticate(key: string): Promise<Principal> {
    const parts = parseKey(key);
    const refused = new UnauthorizedError('the API key is not valid (unknown, revoked or malformed)');
    if (!parts) throw refused;
    const record = await this.keys.byId(parts.id);
    if (!record || record.revokedAt !== null) throw refused;
    const digest = keyDigest(key);
    const now = this.now();
    const known = this.verified.get(digest);
    if (!known || known.id !== record.id || known.until < now) {
      if (!(await secretMatches(parts.secret, record.salt, record.hash))) throw refused;
      this.verified.set(digest, { id: record.id, until: now + VERIFIED_TTL_MS });
    }
    const touched = this.touched.get(record.id);
    if (touched === undefined || touched + TOUCH_EVERY_MS <= now) {
      this.touched.set(record.id, now);
      await this.keys.touch(record.id, now);
    }
    return { name: record.name, scope: record.scope };
  }
}

function view(record: ApiKeyRecord): ApiKeyView {
  const { salt: _salt, hash: _hash, ...rest } = record;
  return rest;
}
