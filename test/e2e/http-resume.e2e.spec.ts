import { resolve } from 'node:path';
import request from 'supertest';
import { eventually, openHttpApp } from '../support/http-fixture';

// Over REST a path may not hold `..` segments: the fixture's path, resolved.
const QUADRATIC = resolve(__dirname, '../fixtures/objectives/quadratic.js');

const config = {
  name: 'http-resume',
  objective: { metric: 'loss', direction: 'minimize' },
  space: { x: { type: 'float', low: -5, high: 5 }, k: { type: 'int', low: 1, high: 5 } },
  budget: { maxTrials: 2 },
  trial: { kind: 'module', module: QUADRATIC },
};

describe('resuming over HTTP', () => {
  let ctx: Awaited<ReturnType<typeof openHttpApp>>;
  beforeAll(async () => (ctx = await openHttpApp()));
  afterAll(async () => ctx.close());
  const http = () => request(ctx.app.getHttpServer());

  it('checks the body, refuses a resume with nothing to run (409), and raises the budget', async () => {
    const id = (await http().post('/api/experiments').send(config).expect(201)).body.id as number;
    await eventually(async () => ((await http().get(`/api/experiments/${id}`)).body.state === 'COMPLETE' ? true : undefined));

    const problems = async (body: unknown) =>
      (
        await http()
          .post(`/api/experiments/${id}/resume`)
          .send(body as object)
          .expect(400)
      ).body.problems;
    expect(await problems({ bogus: 1 })).toEqual([{ path: 'body.bogus', message: 'unknown key (allowed: maxTrials)' }]);
    expect(await problems({ maxTrials: 100_000_000 })).toEqual([{ path: 'body.maxTrials', message: 'must be <= 10000000' }]);
    expect(await problems({ maxTrials: 2.5 })).toEqual([{ path: 'body.maxTrials', message: 'must be an integer' }]);

    const spent = await http().post(`/api/experiments/${id}/resume`).set('Content-Type', 'application/json').expect(409);
    expect(spent.body.message).toBe(
      `experiment ${id} has run all 2 trials of its budget: resume it with a larger budget (--max-trials on the command line, maxTrials in a REST body)`,
    );
    const shrink = await http().post(`/api/experiments/${id}/resume`).send({ maxTrials: 1 }).expect(409);
    expect(shrink.body.message).toBe(`experiment ${id} has already run 2 trials: a new budget (--max-trials, or maxTrials) must be more than that`);
    expect((await http().get(`/api/experiments/${id}`)).body).toMatchObject({ state: 'COMPLETE', trialCounts: { COMPLETE: 2 } });

    await http().post(`/api/experiments/${id}/resume`).send({ maxTrials: 4 }).expect(200);
    const done = await eventually(async () => {
      const res = await http().get(`/api/experiments/${id}`);
      return res.body.state === 'COMPLETE' ? res.body : undefined;
    });
    expect(done.trialCounts).toMatchObject({ COMPLETE: 4 });
  });
});
