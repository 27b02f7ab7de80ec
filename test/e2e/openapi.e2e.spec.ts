import Ajv2020 from 'ajv/dist/2020';
import { resolve } from 'node:path';
import request, { Response } from 'supertest';
import { openHttpApp } from '../support/http-fixture';

const IRIS = resolve(__dirname, '../../experiments/data/iris.csv');
const QUADRATIC = resolve(__dirname, '../fixtures/objectives/quadratic.js');

type Document = {
  openapi: string;
  paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, { content?: Record<string, { schema: object }> }> }>>;
  components: { schemas: Record<string, object> };
};

/** Every route over real HTTP, each answer checked against the schema the OpenAPI document declares for its route and status. */
describe('the OpenAPI document describes what the routes take and give', () => {
  let ctx: Awaited<ReturnType<typeof openHttpApp>>;
  let doc: Document;
  let ajv: Ajv2020;
  const http = () => request(ctx.app.getHttpServer());
  const checked = new Set<string>();

  /** Asserts the response matches the schema declared for (method, route, status). */
  function declared(method: string, route: string, res: Response): Response {
    const op = doc.paths[route]?.[method];
    expect(op).toBeDefined();
    const entry = op!.responses[String(res.status)];
    expect({ route, method, status: res.status, declared: entry !== undefined }).toEqual({ route, method, status: res.status, declared: true });
    const schema = entry.content?.['application/json']?.schema;
    if (res.status === 204) expect(schema).toBeUndefined();
    else {
      const ref = (schema as { $ref?: string }).$ref;
      expect(ref).toMatch(/^#\/components\/schemas\//);
      const validate = ajv.getSchema(`api${ref}`)!;
      const ok = validate(res.body);
      expect({ route, status: res.status, errors: ok ? null : validate.errors }).toEqual({ route, status: res.status, errors: null });
    }
    checked.add(`${method.toUpperCase()} ${route} ${res.status}`);
    return res;
  }

  beforeAll(async () => {
    ctx = await openHttpApp();
    doc = (await http().get('/docs/json').expect(200)).body;
    ajv = new Ajv2020({ strict: false, allowUnionTypes: true });
    // One schema holding the components, so that references between them resolve as in the document.
    ajv.addSchema({ $id: 'api', components: doc.components });
  });
  afterAll(async () => ctx.close());

  it('is OpenAPI 3.1; every route declares its success and error responses, and every route that reads a body declares it', () => {
    expect(doc.openapi).toBe('3.1.0');
    for (const [route, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const statuses = Object.keys(op.responses);
        expect({ route, method, success: statuses.some((s) => s.startsWith('2')) }).toEqual({ route, method, success: true });
        for (const status of statuses.filter((s) => s !== '204')) expect(op.responses[status].content?.['application/json']?.schema).toBeDefined();
        const readsBody = ['post', 'put', 'patch'].includes(method) && !route.endsWith('/cancel');
        expect({ route, method, body: Boolean(op.requestBody) }).toEqual({ route, method, body: readsBody });
      }
    }
  });

  it('serves the page at /docs, and /docs/ sends the browser there', async () => {
    expect((await http().get('/docs').expect(200)).text).toContain('swagger-ui');
    expect((await http().get('/docs/').expect(301)).headers.location).toBe('/docs');
  });

  it('answers every experiment route as declared', async () => {
    const config = {
      name: 'doc-module',
      objective: { metric: 'loss', direction: 'minimize' },
      space: { x: { type: 'float', low: -2, high: 2 }, k: { type: 'int', low: 1, high: 4 } },
      budget: { maxTrials: 3, parallelism: 2 },
      trial: { kind: 'module', module: QUADRATIC },
    };
    const created = declared('post', '/api/experiments', await http().post('/api/experiments').send(config));
    expect(created.status).toBe(201);
    const id = created.body.id;
    declared(
      'post',
      '/api/experiments',
      await http()
        .post('/api/experiments')
        .send({ ...config, budget: { maxTrials: 0 } }),
    );
    await ctx.context.experiments.waitFor(id);
    declared('get', '/api/experiments', await http().get('/api/experiments'));
    declared('get', '/api/experiments', await http().get('/api/experiments?limit=0'));
    declared('get', '/api/experiments/{id}', await http().get(`/api/experiments/${id}`));
    declared('get', '/api/experiments/{id}', await http().get('/api/experiments/999'));
    declared('patch', '/api/experiments/{id}', await http().patch(`/api/experiments/${id}`).send({ parallelism: 2 })); // 409: it has ended
    declared('patch', '/api/experiments/{id}', await http().patch(`/api/experiments/${id}`).send({ parallelism: 0 }));
    declared('post', '/api/experiments/{id}/cancel', await http().post(`/api/experiments/${id}/cancel`).set('Content-Type', 'application/json'));
    declared('post', '/api/experiments/{id}/resume', await http().post(`/api/experiments/${id}/resume`).set('Content-Type', 'application/json'));
    declared('get', '/api/experiments/{id}/trials', await http().get(`/api/experiments/${id}/trials?limit=2`));
    declared('get', '/api/experiments/{id}/trials/{number}', await http().get(`/api/experiments/${id}/trials/1`));
    declared('get', '/api/experiments/{id}/leaderboard', await http().get(`/api/experiments/${id}/leaderboard?pruned=true`));
    declared('get', '/api/experiments/{id}/leaderboard', await http().get(`/api/experiments/${id}/leaderboard?pareto=true`));
    const queued = declared(
      'post',
      '/api/experiments/{id}/trials',
      await http()
        .post(`/api/experiments/${id}/trials`)
        .send({ params: { x: 0.5, k: 2 } }),
    );
    expect(queued.status).toBe(201);
    declared(
      'post',
      '/api/experiments/{id}/trials',
      await http()
        .post(`/api/experiments/${id}/trials`)
        .send({ params: { x: 9, k: 2 } }),
    );
    declared('get', '/api/leaderboard', await http().get('/api/leaderboard?metric=loss'));
    declared('get', '/api/experiments/{id}/importance', await http().get(`/api/experiments/${id}/importance?method=fanova`));
    declared('get', '/api/experiments/{id}/importance', await http().get(`/api/experiments/${id}/importance?method=x`));
    declared('get', '/api/dashboard/experiments', await http().get('/api/dashboard/experiments'));
    declared('get', '/api/experiments/{id}/overview', await http().get(`/api/experiments/${id}/overview?points=100`));
    declared('get', '/api/experiments/{id}/overview', await http().get(`/api/experiments/${id}/overview?points=1`));
    declared('get', '/api/experiments/{id}/changes', await http().get(`/api/experiments/${id}/changes?since=0`));
    declared('get', '/api/experiments/{id}/table', await http().get(`/api/experiments/${id}/table?sort=value&order=desc&limit=2`));
    declared('get', '/api/experiments/{id}/table', await http().get(`/api/experiments/${id}/table?sort=bogus`));
    declared('get', '/api/experiments/{id}/contour', await http().get(`/api/experiments/${id}/contour?x=x&y=k`));
    declared('get', '/api/experiments/{id}/contour', await http().get(`/api/experiments/${id}/contour?x=x`));
    declared('get', '/api/experiments/{id}/curves', await http().get(`/api/experiments/${id}/curves`));
    declared('get', '/api/experiments/{id}/trials/{number}/files', await http().get(`/api/experiments/${id}/trials/1/files`));
    declared('get', '/api/experiments/{id}/trials/{number}/files', await http().get(`/api/experiments/${id}/trials/99/files`));
    const resumed = declared('post', '/api/experiments/{id}/resume', await http().post(`/api/experiments/${id}/resume`).send({ maxTrials: 4 }));
    expect(resumed.status).toBe(200);
    const patched = declared('patch', '/api/experiments/{id}', await http().patch(`/api/experiments/${id}`).send({ maxTrials: 5 }));
    expect([patched.status, patched.body.spec.budget.maxTrials]).toEqual([200, 5]);
    await ctx.context.experiments.waitFor(id);
  });

  it('answers every model route as declared', async () => {
    const iris = {
      name: 'doc-iris',
      objective: { metric: 'val_accuracy', direction: 'maximize' },
      space: { learning_rate: { type: 'categorical', values: [0.05] } },
      budget: { maxTrials: 1 },
      trial: { kind: 'tfjs', task: 'classification', dataset: { path: IRIS, target: 'species' }, epochs: 5 },
      registry: { model: 'doc-iris' },
    };
    const id = (await http().post('/api/experiments').send(iris).expect(201)).body.id;
    expect((await ctx.context.experiments.waitFor(id)).state).toBe('COMPLETE');
    declared('get', '/api/experiments/{id}', await http().get(`/api/experiments/${id}`));
    declared(
      'post',
      '/api/models/{name}/versions',
      await http()
        .post('/api/models/doc-iris/versions')
        .send({ experimentId: id, alias: 'staging', force: true, tags: { by: 'test' } }),
    );
    declared('post', '/api/models/{name}/versions', await http().post('/api/models/doc-iris/versions').send({ experimentId: 'one' }));
    declared('get', '/api/models', await http().get('/api/models'));
    declared('get', '/api/models/{name}', await http().get('/api/models/doc-iris'));
    declared('get', '/api/models/{name}', await http().get('/api/models/none'));
    declared('get', '/api/models/{name}/versions/{version}', await http().get('/api/models/doc-iris/versions/1'));
    declared('put', '/api/models/{name}/aliases/{alias}', await http().put('/api/models/doc-iris/aliases/production').send({ version: 2 }));
    declared(
      'post',
      '/api/models/{name}/predict',
      await http()
        .post('/api/models/doc-iris/predict')
        .send({ instances: [[5.1, 3.5, 1.4, 0.2]] }),
    );
    declared('post', '/api/models/{name}/predict', await http().post('/api/models/doc-iris/predict').send({ instances: [] }));
    declared('post', '/api/models/{name}/versions/{version}/archive', await http().post('/api/models/doc-iris/versions/1/archive').send({}));
    declared('post', '/api/models/{name}/versions/{version}/archive', await http().post('/api/models/doc-iris/versions/2/archive').send({}));
    declared('delete', '/api/models/{name}/aliases/{alias}', await http().delete('/api/models/doc-iris/aliases/staging'));
    declared('delete', '/api/models/{name}/versions/{version}', await http().delete('/api/models/doc-iris/versions/1'));
    declared('delete', '/api/models/{name}/versions/{version}', await http().delete('/api/models/doc-iris/versions/2'));

    // Keys and the audit log; the first key closes the open service, so the rest carry one.
    const created = declared('post', '/api/keys', await http().post('/api/keys').send({ name: 'doc-admin', scope: 'admin' }));
    expect(created.status).toBe(201);
    const bearer = { Authorization: `Bearer ${created.body.key}` };
    declared('post', '/api/keys', await http().post('/api/keys').set(bearer).send({ name: 'doc-admin', scope: 'read' }));
    declared('post', '/api/keys', await http().post('/api/keys').set(bearer).send({ name: 'doc reader', scope: 'everything' }));
    const reader = declared('post', '/api/keys', await http().post('/api/keys').set(bearer).send({ name: 'doc-reader', scope: 'read' }));
    expect(
      declared(
        'get',
        '/api/keys',
        await http()
          .get('/api/keys')
          .set({ Authorization: `Bearer ${reader.body.key}` }),
      ).status,
    ).toBe(403);
    expect(declared('get', '/api/keys', await http().get('/api/keys').set(bearer)).body.map((k: { name: string }) => k.name)).toEqual([
      'doc-admin',
      'doc-reader',
    ]);
    await new Promise((r) => setTimeout(r, 1_100)); // the open/closed answer is kept for a second
    expect(declared('get', '/api/models', await http().get('/api/models')).status).toBe(401);
    const audit = declared('get', '/api/audit', await http().get('/api/audit?limit=50').set(bearer));
    expect(audit.body.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['submit', 'promote', 'alias-move', 'key-create']));
    declared('get', '/api/audit', await http().get('/api/audit?action=nothing').set(bearer));
    declared('delete', '/api/keys/{name}', await http().delete('/api/keys/doc-reader').set(bearer));
    declared('delete', '/api/keys/{name}', await http().delete('/api/keys/nobody').set(bearer));
    const routes = new Set([...checked].map((c) => c.split(' ').slice(0, 2).join(' ')));
    const all = Object.entries(doc.paths).flatMap(([route, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${route}`));
    expect(all.filter((r) => !routes.has(r))).toEqual([]);
  });
});
