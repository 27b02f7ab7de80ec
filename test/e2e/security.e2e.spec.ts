import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { Scope } from '../../src/auth/scopes';
import { openHttpApp } from '../support/http-fixture';

const IRIS = resolve(__dirname, '../../experiments/data/iris.csv');
const QUADRATIC = resolve(__dirname, '../fixtures/objectives/quadratic.js');

const tfjsConfig = (name: string, maxTrials = 1) => ({
  name,
  objective: { metric: 'val_accuracy', direction: 'maximize' },
  space: { learning_rate: { type: 'categorical', values: [0.05] } },
  budget: { maxTrials },
  trial: { kind: 'tfjs', task: 'classification', dataset: { path: IRIS, target: 'species' }, epochs: 2 },
});

const moduleConfig = (name: string, maxTrials = 2) => ({
  name,
  objective: { metric: 'loss', direction: 'minimize' },
  space: { x: { type: 'float', low: -2, high: 2 }, k: { type: 'int', low: 0, high: 5 } },
  budget: { maxTrials },
  trial: { kind: 'module', module: QUADRATIC },
});

/**
 * The scope every route needs. The test reads the routes from the OpenAPI document, so a route
 * added without an entry here fails it.
 */
const ROUTE_SCOPES: Record<string, Scope> = {
  'POST /api/experiments': 'write',
  'GET /api/experiments': 'read',
  'GET /api/experiments/{id}': 'read',
  'PATCH /api/experiments/{id}': 'write',
  'POST /api/experiments/{id}/trials': 'write',
  'POST /api/experiments/{id}/cancel': 'write',
  'POST /api/experiments/{id}/resume': 'write',
  'GET /api/experiments/{id}/trials': 'read',
  'GET /api/experiments/{id}/trials/{number}': 'read',
  'GET /api/experiments/{id}/leaderboard': 'read',
  'GET /api/leaderboard': 'read',
  'GET /api/models': 'read',
  'GET /api/models/{name}': 'read',
  'GET /api/models/{name}/versions/{version}': 'read',
  'POST /api/models/{name}/versions': 'write',
  'PUT /api/models/{name}/aliases/{alias}': 'write',
  'DELETE /api/models/{name}/aliases/{alias}': 'admin',
  'POST /api/models/{name}/versions/{version}/archive': 'write',
  'DELETE /api/models/{name}/versions/{version}': 'admin',
  'POST /api/models/{name}/predict': 'read',
  'GET /api/keys': 'admin',
  'POST /api/keys': 'admin',
  'DELETE /api/keys/{name}': 'admin',
  'GET /api/audit': 'admin',
  'GET /api/experiments/{id}/importance': 'read',
  'GET /api/dashboard/experiments': 'read',
  'GET /api/experiments/{id}/overview': 'read',
  'GET /api/experiments/{id}/changes': 'read',
  'GET /api/experiments/{id}/table': 'read',
  'GET /api/experiments/{id}/contour': 'read',
  'GET /api/experiments/{id}/curves': 'read',
  'GET /api/experiments/{id}/trials/{number}/files': 'read',
};

/** Routes kept out of the OpenAPI document (the workers' protocol), checked the same way. */
const UNDOCUMENTED_SCOPES: Record<string, Scope | 'public'> = {
  'POST /api/fleet/workers/heartbeat': 'admin',
  'POST /api/fleet/attempts/{trialId}/{attempt}/reports': 'admin',
  'POST /api/fleet/attempts/{trialId}/{attempt}/result': 'admin',
  'PUT /api/fleet/attempts/{trialId}/{attempt}/artifacts/{file}': 'admin',
  'GET /api/fleet/files/{sha256}': 'admin',
  'GET /api/workers': 'read',
  'GET /api/experiments/{id}/trials.csv': 'read',
  'GET /metrics': 'read',
  'GET /health/live': 'public',
  'GET /health/ready': 'public',
};

/** A concrete request for a route: placeholders filled with names that do not exist, bodies that would be read. */
function concrete(route: string): string {
  return route
    .replace('{trialId}', '999')
    .replace('{attempt}', '1')
    .replace('{file}', 'model.json')
    .replace('{sha256}', 'a'.repeat(64))
    .replace('{id}', '999')
    .replace('{number}', '1')
    .replace('{name}', 'nobody')
    .replace('{alias}', 'production')
    .replace('{version}', '1');
}

describe('API keys and scopes over HTTP', () => {
  let ctx: Awaited<ReturnType<typeof openHttpApp>>;
  const http = () => request(ctx.app.getHttpServer());
  const keys: Record<Scope, string> = { read: '', write: '', admin: '' };
  const auth = (scope: Scope) => ({ Authorization: `Bearer ${keys[scope]}` });

  beforeAll(async () => {
    ctx = await openHttpApp({}, { security: { maxRunningPerKey: 2, maxTrials: 1_000 } });
  });
  afterAll(async () => ctx?.close());

  it('is open on loopback while no key exists, and closed to requests without one as soon as one does', async () => {
    await http().get('/api/experiments').expect(200);
    for (const scope of ['read', 'write', 'admin'] as const) keys[scope] = (await ctx.context.keys.create(`test-${scope}`, scope)).key;
    await new Promise((r) => setTimeout(r, 1_100)); // the open/closed answer is kept for a second
    const refused = await http().get('/api/experiments').expect(401);
    expect(refused.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: expect.stringContaining('API key') });
    expect(refused.headers['www-authenticate']).toMatch(/^Bearer/);
    await http()
      .get('/api/experiments')
      .set({ Authorization: 'Bearer hpo_000000000000_' + 'x'.repeat(43) })
      .expect(401);
    await http().get('/api/experiments').set({ Authorization: 'Basic abc' }).expect(401);
    await http().get('/api/experiments').set(auth('read')).expect(200);
  });

  it('answers 401 without a key, 403 with a weaker scope and goes through with enough, on every route', async () => {
    const doc = (await http().get('/docs/json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(routes.filter((r) => !(r in ROUTE_SCOPES))).toEqual([]);
    routes.push(...Object.keys(UNDOCUMENTED_SCOPES));
    const scopes = { ...ROUTE_SCOPES, ...UNDOCUMENTED_SCOPES };
    const order: Scope[] = ['read', 'write', 'admin'];
    const outcomes: string[] = [];
    for (const route of routes) {
      const [method, path] = route.split(' ');
      const needed = scopes[route];
      const call = (scope?: Scope) => {
        const r = http()[method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](concrete(path)).set('Content-Type', 'application/json');
        return scope ? r.set(auth(scope)) : r;
      };
      const statuses = [(await call()).status, ...(await Promise.all(order.map(async (s) => (await call(s)).status)))];
      const expected = needed === 'public' ? ['ok', 'ok', 'ok', 'ok'] : [401, ...order.map((s) => (order.indexOf(s) >= order.indexOf(needed) ? 'ok' : 403))];
      outcomes.push(`${route}: ${statuses.map((s, i) => (expected[i] === 'ok' ? (s === 401 || s === 403 ? s : 'ok') : s)).join(' ')}`);
      expect(`${route}: ${statuses.map((s, i) => (expected[i] === 'ok' ? (s === 401 || s === 403 ? s : 'ok') : s)).join(' ')}`).toBe(
        `${route}: ${expected.join(' ')}`,
      );
    }
    expect(outcomes.length).toBe(Object.keys(scopes).length);
  });

  it('lets only admin keys submit module and command trials, without running or reading anything for the others', async () => {
    const marker = join(ctx.dir, 'ran');
    const command = {
      ...moduleConfig('cmd'),
      trial: { kind: 'command', command: ['sh', '-c', `id > ${marker}`] },
    };
    const refused = await http().post('/api/experiments').set(auth('write')).send(command).expect(403);
    expect(refused.body.message).toMatch(/admin scope/);
    await http().post('/api/experiments').set(auth('write')).send(moduleConfig('mod')).expect(403);
    await new Promise((r) => setTimeout(r, 300));
    expect(existsSync(marker)).toBe(false);
    expect((await ctx.context.experiments.list({ limit: 10, offset: 0 })).total).toBe(0);
    const ok = await http().post('/api/experiments').set(auth('admin')).send(moduleConfig('mod')).expect(201);
    await ctx.context.experiments.waitFor(ok.body.id);
    const submitted = await http().post('/api/experiments').set(auth('write')).send(tfjsConfig('tf')).expect(201);
    expect((await ctx.context.experiments.waitFor(submitted.body.id)).state).toBe('COMPLETE');
  });

  it('caps budgets by the settings and counts a key’s running experiments against its limit', async () => {
    const big = await http().post('/api/experiments').set(auth('admin')).send(moduleConfig('big', 5_000)).expect(400);
    expect(big.body.problems).toEqual([{ path: 'budget.maxTrials', message: 'must be at most 1000 on this service (HPO_MAX_TRIALS)' }]);
    const slow = (name: string) => ({ ...moduleConfig(name, 1_000), trial: { kind: 'module', module: resolve(__dirname, '../fixtures/objectives/slow.mjs') } });
    const a = await http().post('/api/experiments').set(auth('admin')).send(slow('slow-a')).expect(201);
    const b = await http().post('/api/experiments').set(auth('admin')).send(slow('slow-b')).expect(201);
    const third = await http().post('/api/experiments').set(auth('admin')).send(slow('slow-c')).expect(429);
    expect(third.body.message).toMatch(/2 experiments running/);
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
    // Another key's limit is its own.
    await http().get('/api/experiments').set(auth('write')).expect(200);
    const patched = await http().patch(`/api/experiments/${a.body.id}`).set(auth('write')).send({ parallelism: 100_000 }).expect(400);
    expect(patched.body.problems[0].path).toBe('body.parallelism');
    for (const id of [a.body.id, b.body.id])
      await http().post(`/api/experiments/${id}/cancel`).set(auth('write')).set('Content-Type', 'application/json').expect(200);
    const detail = await http().get(`/api/experiments/${a.body.id}`).set(auth('read')).expect(200);
    expect(detail.body.submittedBy).toBe('test-admin');
  });

  it('records who did what, from where, in the audit log (admin only)', async () => {
    await http().get('/api/audit').set(auth('write')).expect(403);
    const entries = (await http().get('/api/audit?limit=100').set(auth('admin')).expect(200)).body as {
      actor: string;
      action: string;
      target: string;
      origin: string;
    }[];
    const submits = entries.filter((e) => e.action === 'submit');
    expect(submits.map((e) => e.actor)).toEqual(expect.arrayContaining(['test-admin', 'test-write']));
    expect(entries.filter((e) => e.action === 'cancel').map((e) => e.actor)).toEqual(['test-write', 'test-write']);
    expect(entries.every((e) => /127\.0\.0\.1|::1|::ffff:127/.test(e.origin))).toBe(true);
    const onlyCancels = (await http().get('/api/audit?action=cancel&limit=1').set(auth('admin')).expect(200)).body;
    expect(onlyCancels).toHaveLength(1);
    await http().get('/api/audit?limit=0x10').set(auth('admin')).expect(400);
  });

  it('stops a revoked key at once', async () => {
    const { key } = await ctx.context.keys.create('short-lived', 'read');
    await http()
      .get('/api/models')
      .set({ Authorization: `Bearer ${key}` })
      .expect(200);
    await http().delete('/api/keys/short-lived').set(auth('admin')).expect(204);
    await http()
      .get('/api/models')
      .set({ Authorization: `Bearer ${key}` })
      .expect(401);
    const listed = (await http().get('/api/keys').set(auth('admin')).expect(200)).body as {
      name: string;
      revokedAt: number | null;
      lastUsedAt: number | null;
    }[];
    expect(listed.find((k) => k.name === 'short-lived')).toMatchObject({ revokedAt: expect.any(Number), lastUsedAt: expect.any(Number) });
    expect(JSON.stringify(listed)).not.toMatch(/hash|salt/);
  });
});

describe('the front door refuses what a browser on another site could send', () => {
  let ctx: Awaited<ReturnType<typeof openHttpApp>>;
  const http = () => request(ctx.app.getHttpServer());

  beforeAll(async () => {
    ctx = await openHttpApp({}, { security: { corsOrigins: ['http://dash.example'], rateLimitPerMin: 600, allowedHosts: ['hpo.internal'] } });
  });
  afterAll(async () => ctx?.close());

  it('refuses Host names the operator did not allow (DNS rebinding), but answers loopback and allowed ones', async () => {
    const refused = await http().get('/api/experiments').set('Host', 'attacker.example:3000').expect(421);
    expect(refused.body.message).toMatch(/HPO_ALLOWED_HOSTS/);
    await http().get('/api/experiments').set('Host', 'localhost:3000').expect(200);
    await http().get('/api/experiments').set('Host', 'hpo.internal').expect(200);
    await http().get('/api/experiments').set('Host', '[::1]:3000').expect(200);
  });

  it('does not let a cross-site simple POST cancel an experiment', async () => {
    const id = (
      await http()
        .post('/api/experiments')
        .send({ ...moduleConfig('victim', 1_000), trial: { kind: 'module', module: resolve(__dirname, '../fixtures/objectives/slow.mjs') } })
        .expect(201)
    ).body.id;
    await http().post(`/api/experiments/${id}/cancel`).set('Content-Type', 'text/plain').send('x').expect(415);
    await http().post(`/api/experiments/${id}/cancel`).set('Content-Type', 'application/x-www-form-urlencoded').send('a=1').expect(415);
    await http().post(`/api/experiments/${id}/cancel`).expect(415);
    await http().post(`/api/experiments/${id}/cancel`).set('Origin', 'http://evil.example').set('Content-Type', 'application/json').expect(403);
    await http().post(`/api/experiments/${id}/cancel`).set('Origin', 'null').set('Content-Type', 'application/json').expect(403);
    expect((await http().get(`/api/experiments/${id}`).expect(200)).body.state).toBe('RUNNING');
    await http().post(`/api/experiments/${id}/cancel`).set('Origin', 'http://dash.example').set('Content-Type', 'application/json').expect(200);
  });

  it('answers CORS preflights for the listed origins only, and sends security headers', async () => {
    const allowed = await http()
      .options('/api/experiments')
      .set('Origin', 'http://dash.example')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type');
    expect(allowed.headers['access-control-allow-origin']).toBe('http://dash.example');
    expect(allowed.headers['access-control-allow-headers']).toMatch(/Authorization/i);
    const other = await http().options('/api/experiments').set('Origin', 'http://evil.example').set('Access-Control-Request-Method', 'POST');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const res = await http().get('/api/experiments').expect(200);
    expect(res.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    });
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('limits the rate of one caller with 429 and Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 80; i++) statuses.push((await http().get('/api/models')).status);
    expect(statuses).toContain(429);
    expect(statuses.indexOf(429)).toBeGreaterThanOrEqual(30);
    const limited = await http().get('/api/models').expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited.body.message).toMatch(/HPO_RATE_LIMIT_PER_MIN/);
  });
});
