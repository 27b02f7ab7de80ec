import { join, resolve } from 'node:path';
import request from 'supertest';
import { hpo } from '../support/cli-runner';
import { eventually, openHttpApp } from '../support/http-fixture';

const QUADRATIC = resolve(__dirname, '../fixtures/objectives/quadratic.js');

// quadratic.js: loss = (x - 1)² + (k - 3)²; x spans [-5, 5] (up to 36), k spans [1, 5] (up to 4), colour is not read.
const config = {
  name: 'importance-quadratic',
  objective: { metric: 'loss', direction: 'minimize' },
  space: {
    x: { type: 'float', low: -5, high: 5 },
    k: { type: 'int', low: 1, high: 5 },
    colour: { type: 'categorical', values: ['red', 'green', 'blue'] },
  },
  search: { algorithm: 'random', seed: 11 },
  budget: { maxTrials: 120, parallelism: 2, trialTimeoutSec: 20 },
  trial: { kind: 'module', module: QUADRATIC },
};

describe('parameter importance over REST and the CLI', () => {
  let ctx: Awaited<ReturnType<typeof openHttpApp>>;
  let id: number;
  beforeAll(async () => {
    ctx = await openHttpApp();
    id = (await request(ctx.app.getHttpServer()).post('/api/experiments').send(config).expect(201)).body.id;
    await eventually(async () => {
      const res = await request(ctx.app.getHttpServer()).get(`/api/experiments/${id}`);
      return res.body.state === 'COMPLETE' ? true : undefined;
    });
  }, 120_000);
  afterAll(async () => ctx.close());
  const http = () => request(ctx.app.getHttpServer());

  it.each(['ped-anova', 'fanova'])('ranks x, then k, then colour by %s', async (method) => {
    const res = await http().get(`/api/experiments/${id}/importance?method=${method}`).expect(200);
    expect(res.body).toMatchObject({ experimentId: id, method, trials: 120, metric: 'loss', direction: 'minimize' });
    expect(res.body.params.map((p: { name: string }) => p.name)).toEqual(['x', 'k', 'colour']);
  });

  it('uses PED-ANOVA by default and names a bad method or id', async () => {
    expect((await http().get(`/api/experiments/${id}/importance`).expect(200)).body.method).toBe('ped-anova');
    const bad = await http().get(`/api/experiments/${id}/importance?method=shap`).expect(400);
    expect(bad.body.problems).toEqual([{ path: 'query.method', message: 'must be one of ped-anova, fanova' }]);
    await http().get('/api/experiments/999/importance').expect(404);
  });

  it('hpo importance prints the same ranking, and names a bad --method', () => {
    const db = join(ctx.dir, 'hpo.db');
    const json = hpo(['importance', 'importance-quadratic', '--db', db, '--method', 'fanova', '--json'], ctx.dir);
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout).params.map((p: { name: string }) => p.name)).toEqual(['x', 'k', 'colour']);
    const text = hpo(['importance', String(id), '--db', db], ctx.dir);
    expect(text.stdout).toMatch(/parameter importance by ped-anova over 120 complete trials \(loss, minimize\)/);
    expect(text.stdout.split('\n')[3]).toMatch(/^x\s/);
    const bad = hpo(['importance', String(id), '--db', db, '--method', 'shap'], ctx.dir);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--method: must be one of ped-anova, fanova/);
  });
});
