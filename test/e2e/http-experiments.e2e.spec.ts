import { resolve } from 'node:path';
import request from 'supertest';
import { eventually, openHttpApp } from '../support/http-fixture';

// Over REST a path may not hold `..` segments: the fixture's path, resolved.
const QUADRATIC = resolve(__dirname, '../fixtures/objectives/quadratic.js');

const yamlConfig = `
name: http-quadratic
objective: {metric: loss, direction: minimize}
space:
  x: {type: float, low: -5, high: 5}
  k: {type: int, low: 1, high: 5}
search: {algorithm: random, seed: 4}
budget: {maxTrials: 10, parallelism: 2, trialTimeoutSec: 20}
trial: {kind: module, module: ${QUADRATIC}}
`;

describe('REST API over HTTP', () => {
  let ctx: Awaited<ReturnType<typeof openHttpApp>>;
  beforeAll(async () => (ctx = await openHttpApp()));
  afterAll(async () => ctx.close());
  const http = () => request(ctx.app.getHttpServer());

  it('takes a YAML config, runs it to completion, and ranks its trials', async () => {
    const created = await http().post('/api/experiments').set('Content-Type', 'application/yaml').send(yamlConfig).expect(201);
    const id = created.body.id as number;
    const done = await eventually(async () => {
      const res = await http().get(`/api/experiments/${id}`).expect(200);
      return res.body.state === 'COMPLETE' ? res.body : undefined;
    });
    expect(done.trialCounts).toMatchObject({ COMPLETE: 10, FAILED: 0, RUNNING: 0 });
    expect(done.bestTrial.value).toBeLessThan(10);
    const board = await http().get(`/api/experiments/${id}/leaderboard?limit=5`).expect(200);
    const values = board.body.complete.map((r: { value: number }) => r.value);
    expect(values).toHaveLength(5);
    expect(values).toEqual([...values].sort((a: number, b: number) => a - b));
    expect(board.body.complete[0].trial.number).toBe(done.bestTrial.number);
    const byOther = await http().get(`/api/experiments/${id}/leaderboard?metric=x_abs&limit=3`).expect(200);
    expect(byOther.body).toMatchObject({ metric: 'x_abs', direction: 'maximize' });
    const unknownMetric = await http().get(`/api/experiments/${id}/leaderboard?metric=bogus`).expect(400);
    expect(unknownMetric.body.problems).toEqual([{ path: 'metric', message: `experiment ${id} has no final metric "bogus" (its trials report: loss, x_abs)` }]);

    const page1 = await http().get(`/api/experiments/${id}/trials?sort=objective&limit=4`).expect(200);
    const page2 = await http().get(`/api/experiments/${id}/trials?sort=objective&limit=4&cursor=${page1.body.nextCursor}`).expect(200);
    const ordered = [...page1.body.items, ...page2.body.items].map((t: { value: number }) => t.value);
    expect(ordered).toEqual([...ordered].sort((a, b) => a - b));
    expect(new Set([...page1.body.items, ...page2.body.items].map((t: { id: number }) => t.id)).size).toBe(8);
    // A cursor pages only the listing it came from.
    const crossed = await http().get(`/api/experiments/${id}/trials?sort=number&limit=4&cursor=${page1.body.nextCursor}`).expect(400);
    expect(crossed.body.problems).toEqual([
      {
        path: 'query.cursor',
        message: "cursor was made for another listing (another experiment, state or sort): pass back the nextCursor of this listing's previous page",
      },
    ]);

    const trial = await http().get(`/api/experiments/${id}/trials/1`).expect(200);
    expect(trial.body).toMatchObject({ number: 1, state: 'COMPLETE', lastStep: 3 });
    expect(trial.body.curve.loss).toHaveLength(3);

    const list = await http().get('/api/experiments?state=COMPLETE').expect(200);
    expect(list.body.items.map((e: { id: number }) => e.id)).toContain(id);
    await http().post(`/api/experiments/${id}/cancel`).set('Content-Type', 'application/json').expect(409);
  });

  it('ranks across experiments by a metric', async () => {
    const res = await http().get('/api/leaderboard?metric=loss&limit=3').expect(200);
    expect(res.body.direction).toBe('minimize');
    expect(res.body.rows).toHaveLength(3);
    expect(res.body.rows[0].experimentName).toBe('http-quadratic');
  });

  const bad: [string, unknown, string][] = [
    [
      'no name',
      { objective: { metric: 'l', direction: 'minimize' }, space: { x: { type: 'int', low: 0, high: 1 } }, trial: { kind: 'module', module: QUADRATIC } },
      'name',
    ],
    [
      'low > high',
      {
        name: 'a',
        objective: { metric: 'l', direction: 'minimize' },
        space: { x: { type: 'float', low: 2, high: 1 } },
        trial: { kind: 'module', module: QUADRATIC },
      },
      'space.x.low',
    ],
    [
      'log with low <= 0',
      {
        name: 'a',
        objective: { metric: 'l', direction: 'minimize' },
        space: { lr: { type: 'float', low: 0, high: 1, log: true } },
        trial: { kind: 'module', module: QUADRATIC },
      },
      'space.lr.low',
    ],
    ['empty space', { name: 'a', objective: { metric: 'l', direction: 'minimize' }, space: {}, trial: { kind: 'module', module: QUADRATIC } }, 'space'],
    [
      'unknown key',
      {
        name: 'a',
        objectve: 1,
        objective: { metric: 'l', direction: 'minimize' },
        space: { x: { type: 'int', low: 0, high: 1 } },
        trial: { kind: 'module', module: QUADRATIC },
      },
      'objectve',
    ],
    [
      'unknown algorithm',
      {
        name: 'a',
        objective: { metric: 'l', direction: 'minimize' },
        space: { x: { type: 'int', low: 0, high: 1 } },
        search: { algorithm: 'magic' },
        trial: { kind: 'module', module: QUADRATIC },
      },
      'search.algorithm',
    ],
    [
      'grid too large',
      {
        name: 'a',
        objective: { metric: 'l', direction: 'minimize' },
        space: { x: { type: 'int', low: 0, high: 1000 }, y: { type: 'int', low: 0, high: 1000 } },
        search: { algorithm: 'grid' },
        trial: { kind: 'module', module: QUADRATIC },
      },
      'space',
    ],
    [
      'unknown model parameter',
      {
        name: 'a',
        objective: { metric: 'val_accuracy', direction: 'maximize' },
        space: { neurons: { type: 'int', low: 1, high: 8 } },
        trial: { kind: 'tfjs', task: 'classification', dataset: { path: 'experiments/data/iris.csv', target: 'species' } },
      },
      'space.neurons',
    ],
    [
      'missing dataset file',
      {
        name: 'a',
        objective: { metric: 'val_accuracy', direction: 'maximize' },
        space: { hidden_units: { type: 'int', low: 1, high: 8 } },
        trial: { kind: 'tfjs', task: 'classification', dataset: { path: 'nope.csv', target: 'y' } },
      },
      'trial.dataset.path',
    ],
    [
      'condition on an unknown parent',
      {
        name: 'a',
        objective: { metric: 'l', direction: 'minimize' },
        space: { m: { type: 'float', low: 0, high: 1, when: { opt: 'sgd' } } },
        trial: { kind: 'module', module: QUADRATIC },
      },
      'space.m.when.opt',
    ],
  ];
  it.each(bad)('rejects a config with %s: 400 naming the path', async (_label, body, path) => {
    const res = await http()
      .post('/api/experiments')
      .send(body as object)
      .expect(400);
    expect(res.body.problems.map((p: { path: string }) => p.path)).toContain(path);
  });

  it('rejects malformed YAML, malformed JSON and bad query parameters with 400, unknown ids with 404', async () => {
    const yaml = await http().post('/api/experiments').set('Content-Type', 'application/yaml').send('name: [unclosed').expect(400);
    expect(yaml.body.problems[0].path).toMatch(/line 1/);
    await http().post('/api/experiments').set('Content-Type', 'application/json').send('{"name": ').expect(400);
    // No Content-Type: refused before anything reads it (a cross-site form could send as much).
    await http().post('/api/experiments').expect(415);
    await http().post('/api/experiments').set('Content-Type', 'application/json').expect(400);
    const huge = await http()
      .post('/api/experiments')
      .set('Content-Type', 'application/yaml')
      .send(`name: x\ndescription: ${'a'.repeat(6 * 1024 * 1024)}`)
      .expect(413);
    expect(huge.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
    const q = await http().get('/api/experiments?limit=abc').expect(400);
    expect(q.body.problems[0].path).toBe('query.limit');
    const own = await http()
      .post('/api/experiments')
      .set('Content-Type', 'application/yaml')
      .send(yamlConfig.replace('maxTrials: 10', 'maxTrials: 1'))
      .expect(201);
    await http().get(`/api/experiments/${own.body.id}/trials?cursor=garbage`).expect(400);
    await http().get('/api/experiments/99999').expect(404);
    await http().get('/api/experiments/abc').expect(400);
    await http().get(`/api/experiments/${own.body.id}/trials/999`).expect(404);
    await http().get('/api/leaderboard').expect(400);
  });

  it('answers hostile bodies (alias bombs, deep nesting) with 400 naming the body, never 500', async () => {
    const names = 'abcdefg';
    let bomb = 'a: &a [x,x,x,x,x,x,x,x,x]\n';
    for (let i = 1; i < names.length; i++)
      bomb += `${names[i]}: &${names[i]} [${Array(9)
        .fill(`*${names[i - 1]}`)
        .join(',')}]\n`;
    const deepYaml = `x: ${'['.repeat(1000)}${']'.repeat(1000)}`;
    const deepJson = `{"name": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    for (const type of ['application/yaml', 'text/yaml']) {
      const res = await http().post('/api/experiments').set('Content-Type', type).send(bomb).expect(400);
      expect(res.body.problems).toEqual([{ path: 'body', message: expect.stringMatching(/aliases/) }]);
      const deep = await http().post('/api/experiments').set('Content-Type', type).send(deepYaml).expect(400);
      expect(deep.body.problems).toEqual([{ path: 'body (line 1, column 67)', message: 'nests lists and maps more than 64 levels deep' }]);
    }
    const json = await http().post('/api/experiments').set('Content-Type', 'application/json').send(deepJson).expect(400);
    expect(json.body.problems).toEqual([{ path: 'body', message: 'nests lists and maps more than 64 levels deep' }]);
    const jsonAsYaml = await http().post('/api/experiments').set('Content-Type', 'application/yaml').send(deepJson).expect(400);
    expect(jsonAsYaml.body.problems[0].path).toMatch(/^body \(line 1/);
  });

  it('gives malformed and non-object JSON bodies, and unknown routes, the shape of every other error', async () => {
    const bad = await http().post('/api/experiments').set('Content-Type', 'application/json').send('{bad json}').expect(400);
    expect(bad.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'the request has problems; see problems',
      problems: [{ path: 'body', message: expect.stringMatching(/^is not valid JSON: /) }],
    });
    for (const body of ['null', '42', '"str"', '[]']) {
      const res = await http().post('/api/experiments').set('Content-Type', 'application/json').send(body).expect(400);
      expect(res.body.problems).toEqual([{ path: 'body', message: expect.stringMatching(/^must be an object/) }]);
      const promote = await http().post('/api/models/m/versions').set('Content-Type', 'application/json').send(body).expect(400);
      expect(promote.body.problems).toEqual([{ path: 'body', message: 'must be an object' }]);
    }
    const missing = await http().get('/api/no-such-route').expect(404);
    expect(missing.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Cannot GET /api/no-such-route' });
    const huge = await http()
      .post('/api/experiments')
      .set('Content-Type', 'application/json')
      .send(`{"name": "${'a'.repeat(6 * 1024 * 1024)}"}`)
      .expect(413);
    expect(huge.body.problems).toEqual([{ path: 'body', message: 'request entity too large' }]);
  });

  it('serves the OpenAPI document with the config schema', async () => {
    const res = await http().get('/docs/json').expect(200);
    expect(res.body.paths['/api/experiments']).toBeDefined();
    expect(res.body.components.schemas.ExperimentConfig.properties.space).toBeDefined();
  });
});
