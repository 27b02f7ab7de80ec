import { hpo, serving } from '../support/cli-runner';
import { tempDir } from '../support/temp-dir';

/** The operator's side of keys: made and revoked on the database, and required before a public address is served. */
describe('hpo keys, hpo audit and hpo serve on a public address', () => {
  const tmp = tempDir('hpo-cli-keys-');
  afterAll(() => tmp.cleanup());
  const run = (...args: string[]) => hpo([...args, '--db', 'k.db'], tmp.dir);

  it('refuses to serve a non-loopback address without a key, and says how to go on', async () => {
    const refused = run('serve', '--host', '0.0.0.0', '--port', '0');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/needs an API key first: run `hpo keys create --name admin --scope admin`.*--insecure-no-auth/);
    const insecure = await serving(['--db', 'k.db', '--host', '0.0.0.0', '--port', '0', '--insecure-no-auth'], tmp.dir);
    expect(insecure.stderr()).toMatch(/WARNING: --insecure-no-auth/);
    const open = await fetch(`http://127.0.0.1:${insecure.port}/api/experiments`);
    expect(open.status).toBe(200);
    await insecure.stop();
  });

  it('creates a key shown once, lists it without its secret, serves with it, revokes it, and audits each change', async () => {
    const bad = run('keys', 'create', '--name', 'ops', '--scope', 'root');
    expect([bad.status, bad.stderr]).toEqual([2, expect.stringContaining('--scope: must be one of read, write, admin')]);
    const made = run('keys', 'create', '--name', 'ops', '--scope', 'admin');
    expect(made.status).toBe(0);
    const key = made.stdout.trim();
    expect(key).toMatch(/^hpo_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(made.stderr).toMatch(/shown this once/);
    const again = run('keys', 'create', '--name', 'ops', '--scope', 'read');
    expect([again.status, again.stderr]).toEqual([2, expect.stringContaining('exists already')]);

    const listed = JSON.parse(run('keys', 'list', '--json').stdout);
    expect(listed).toEqual([expect.objectContaining({ name: 'ops', scope: 'admin', revokedAt: null })]);
    expect(JSON.stringify(listed)).not.toContain(key.split('_')[2]);

    const service = await serving(['--db', 'k.db', '--host', '0.0.0.0', '--port', '0'], tmp.dir);
    try {
      expect(service.stderr()).not.toMatch(/WARNING/);
      const url = `http://127.0.0.1:${service.port}/api/keys`;
      expect((await fetch(url)).status).toBe(401);
      const ok = await fetch(url, { headers: { Authorization: `Bearer ${key}` } });
      expect(ok.status).toBe(200);
      expect(run('keys', 'revoke', 'ops').status).toBe(0);
      expect((await fetch(url, { headers: { Authorization: `Bearer ${key}` } })).status).toBe(401);
    } finally {
      await service.stop();
    }
    const audit = JSON.parse(run('audit', '--json').stdout) as { action: string; target: string; origin: string; actor: string }[];
    expect(audit.map((e) => [e.action, e.target, e.origin])).toEqual([
      ['key-revoke', 'key ops', 'cli'],
      ['key-create', 'key ops', 'cli'],
    ]);
    expect(audit[0].actor).toMatch(/^local/);
    const table = run('audit', '--action', 'key-create');
    expect(table.stdout).toMatch(/key-create\s+key ops\s+cli/);
    expect(run('audit', '--action', 'explode').stderr).toMatch(/--action: must be one of/);
  });

  it('keeps the loopback default open while no key exists', async () => {
    const fresh = tempDir('hpo-cli-open-');
    try {
      const service = await serving(['--db', 'o.db', '--port', '0'], fresh.dir);
      expect((await fetch(`http://127.0.0.1:${service.port}/api/experiments`)).status).toBe(200);
      await service.stop();
    } finally {
      fresh.cleanup();
    }
  });
});
