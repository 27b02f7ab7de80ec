import { join } from 'node:path';
import request from 'supertest';
import { hpo } from '../support/cli-runner';
import { openHttpApp } from '../support/http-fixture';

const QUADRATIC = join(__dirname, '../fixtures/objectives/quadratic.js');

const IRIS = join(__dirname, '../../experiments/data/iris.csv');
/** Between the saved sizes of the small models (a few kB) and of the 400-unit one (about 8 kB of weights alone). */
const MAX_BYTES = 7000;

interface TrialRow {
  number: number;
  state: string;
  metrics: Record<string, number> | null;
}

/** Whether trial a is at least as good as b on both objectives and better on one. */
const dominates = (a: TrialRow, b: TrialRow) => {
  const [aa, ab, ba, bb] = [a.metrics!.val_accuracy, a.metrics!.model_bytes, b.metrics!.val_accuracy, b.metrics!.model_bytes];
  return aa >= ba && ab <= bb && (aa > ba || ab < bb);
};

describe('a two-objective tfjs experiment: accuracy against model size', () => {
  let ctx: Awaited<ReturnType<typeof openHttpApp>>;
  const http = () => request(ctx.app.getHttpServer());
  beforeAll(async () => (ctx = await openHttpApp()));
  afterAll(() => ctx.close());

  it('serves its Pareto front over REST and the CLI, and promotes the best accuracy within the size bound', async () => {
    const body = {
      name: 'iris-size',
      objectives: [
        { metric: 'val_accuracy', direction: 'maximize' },
        { metric: 'model_bytes', direction: 'minimize' },
      ],
      space: { hidden_units: { type: 'categorical', values: [2, 16, 400] }, learning_rate: { type: 'categorical', values: [0.05] } },
      search: { algorithm: 'evolution', seed: 1 },
      budget: { maxTrials: 3, parallelism: 1, trialTimeoutSec: 120 },
      trial: {
        kind: 'tfjs',
        task: 'classification',
        model: 'mlp',
        dataset: { path: IRIS, target: 'species', validation: { fraction: 0.3, seed: 1 } },
        epochs: 15,
      },
      registry: { model: 'iris-small', alias: 'production', promote: { maximize: 'val_accuracy', subjectTo: { model_bytes: { max: MAX_BYTES } } } },
    };
    const id = (await http().post('/api/experiments').send(body).expect(201)).body.id as number;
    expect((await ctx.context.experiments.waitFor(id)).state).toBe('COMPLETE');

    const trials: TrialRow[] = (await http().get(`/api/experiments/${id}/trials`).expect(200)).body.items;
    const complete = trials.filter((t) => t.state === 'COMPLETE');
    expect(complete).toHaveLength(3);
    for (const t of complete) {
      expect(t.metrics!.model_bytes).toBeGreaterThan(0);
      expect(t.metrics!.predict_ms).toBeGreaterThan(0);
    }
    const sizes = complete.map((t) => t.metrics!.model_bytes).sort((a, b) => a - b);
    expect(sizes[1]).toBeLessThan(MAX_BYTES);
    expect(sizes[2]).toBeGreaterThan(MAX_BYTES);

    const front = (await http().get(`/api/experiments/${id}/leaderboard?pareto=true`).expect(200)).body;
    const onFront = new Set<number>(front.front.map((r: { trial: TrialRow }) => r.trial.number));
    for (const t of complete) {
      const dominated = complete.some((o) => dominates(o, t));
      expect(onFront.has(t.number)).toBe(!dominated);
    }
    expect(front.hypervolume).toBeGreaterThan(0);
    expect(front.objectives.map((o: { metric: string }) => o.metric)).toEqual(['val_accuracy', 'model_bytes']);
    const given = (await http().get(`/api/experiments/${id}/leaderboard?pareto=true&reference=0,100000`).expect(200)).body;
    expect(given).toMatchObject({ reference: [0, 100000], referenceGiven: true });
    const bad = await http().get(`/api/experiments/${id}/leaderboard?pareto=true&reference=1`).expect(400);
    expect(bad.body.problems).toEqual([expect.objectContaining({ path: 'reference' })]);

    const cli = hpo(['leaderboard', String(id), '--pareto', '--json', '--db', join(ctx.dir, 'hpo.db')], ctx.dir);
    expect(cli.status).toBe(0);
    const cliFront = JSON.parse(cli.stdout);
    expect(cliFront.front.map((r: { trial: TrialRow }) => r.trial.number)).toEqual(front.front.map((r: { trial: TrialRow }) => r.trial.number));
    expect(cliFront.hypervolume).toBeCloseTo(front.hypervolume);
    const table = hpo(['leaderboard', String(id), '--pareto', '--db', join(ctx.dir, 'hpo.db')], ctx.dir);
    expect(table.stdout).toMatch(/Pareto front of val_accuracy and model_bytes/);
    expect(table.stdout).toMatch(/hypervolume/);

    const within = complete.filter((t) => t.metrics!.model_bytes <= MAX_BYTES);
    const expected = within.reduce((b, t) => (t.metrics!.val_accuracy > b.metrics!.val_accuracy ? t : b));
    const model = (await http().get('/api/models/iris-small').expect(200)).body;
    expect(model.versions).toEqual([expect.objectContaining({ trialNumber: expected.number })]);
    expect(model.versions[0].objective).toMatchObject({ metric: 'val_accuracy', direction: 'maximize', value: expected.metrics!.val_accuracy });

    // Parameters queued to run on resume, over REST and the CLI, checked against the space.
    const refused = await http()
      .post(`/api/experiments/${id}/trials`)
      .send({ params: { hidden_units: 3, learning_rate: 0.05 } })
      .expect(400);
    expect(refused.body.problems).toEqual([expect.objectContaining({ path: 'params' })]);
    const queued = await http()
      .post(`/api/experiments/${id}/trials`)
      .send({ params: { hidden_units: 16, learning_rate: 0.05 } })
      .expect(201);
    expect(queued.body).toMatchObject({ state: 'WAITING', number: 4, enqueued: true });
    const enqueued = hpo(['enqueue', String(id), '--params', '{"hidden_units": 2, "learning_rate": 0.05}', '--json', '--db', join(ctx.dir, 'hpo.db')], ctx.dir);
    expect(enqueued.status).toBe(0);
    expect(JSON.parse(enqueued.stdout)).toMatchObject({ state: 'WAITING', number: 5, params: { hidden_units: 2 }, enqueued: true });
    const listed = hpo(['trials', String(id), '--db', join(ctx.dir, 'hpo.db')], ctx.dir);
    const origins = listed.stdout.split('\n').filter((line) => /^\s*[45]\s/.test(line));
    expect(origins).toEqual([expect.stringContaining('enqueued'), expect.stringContaining('enqueued')]);
    const badCli = hpo(['enqueue', String(id), '--params', 'nope', '--db', join(ctx.dir, 'hpo.db')], ctx.dir);
    expect([badCli.status, badCli.stderr]).toEqual([2, expect.stringContaining('--params')]);
  });

  it('refuses several objectives with a sampler that searches one, naming the path', async () => {
    const res = await http()
      .post('/api/experiments')
      .send({
        name: 'iris-cmaes-mo',
        objectives: [
          { metric: 'val_accuracy', direction: 'maximize' },
          { metric: 'predict_ms', direction: 'minimize' },
        ],
        space: { hidden_units: { type: 'int', low: 2, high: 64 } },
        search: { algorithm: 'cmaes' },
        trial: { kind: 'tfjs', task: 'classification', model: 'mlp', dataset: { path: IRIS, target: 'species' } },
      })
      .expect(400);
    expect(res.body.problems).toContainEqual({ path: 'search.algorithm', message: expect.stringContaining('use bayes or evolution or tpe') });
  });

  it('runs two objectives and a constraint with bayes (log EHVI), two trials at a time, and serves the front', async () => {
    // loss = (x − 1)² + (k − 3)² against x_abs = |x|: the front is x in [0, 1] at k = 3; x_abs ≤ 2 is the constraint.
    const body = {
      name: 'quadratic-bayes-mo',
      objectives: [
        { metric: 'loss', direction: 'minimize' },
        { metric: 'x_abs', direction: 'minimize' },
      ],
      constraints: [{ metric: 'x_abs', max: 2 }],
      space: { x: { type: 'float', low: -5, high: 5 }, k: { type: 'int', low: 1, high: 5 } },
      search: { algorithm: 'bayes', seed: 3 },
      budget: { maxTrials: 14, parallelism: 2 },
      trial: { kind: 'module', module: QUADRATIC },
    };
    const id = (await http().post('/api/experiments').send(body).expect(201)).body.id as number;
    expect((await ctx.context.experiments.waitFor(id)).state).toBe('COMPLETE');
    const trials: (TrialRow & { params: { x: number; k: number } })[] = (await http().get(`/api/experiments/${id}/trials?limit=100`).expect(200)).body.items;
    const complete = trials.filter((t) => t.state === 'COMPLETE');
    expect(complete).toHaveLength(14);
    expect(new Set(complete.map((t) => JSON.stringify(t.params))).size).toBe(14);
    // The GP's trials (after the 5-point design) mostly meet the constraint: |x| ≤ 2 is 40% of the box.
    const modelled = complete.filter((t) => t.number > 5);
    expect(modelled.filter((t) => t.metrics!.x_abs <= 2).length).toBeGreaterThan(modelled.length / 2);

    const front = (await http().get(`/api/experiments/${id}/leaderboard?pareto=true`).expect(200)).body;
    const feasible = complete.filter((t) => t.metrics!.x_abs <= 2);
    const better = (a: TrialRow, b: TrialRow) =>
      a.metrics!.loss <= b.metrics!.loss && a.metrics!.x_abs <= b.metrics!.x_abs && (a.metrics!.loss < b.metrics!.loss || a.metrics!.x_abs < b.metrics!.x_abs);
    const expected = feasible.filter((t) => !feasible.some((o) => better(o, t))).map((t) => t.number);
    expect(front.front.map((r: { trial: TrialRow }) => r.trial.number).sort((a: number, b: number) => a - b)).toEqual(expected.sort((a, b) => a - b));
    expect(front.front.length).toBeGreaterThan(1);
    expect(front.hypervolume).toBeGreaterThan(0);
    const cli = hpo(['leaderboard', String(id), '--pareto', '--json', '--db', join(ctx.dir, 'hpo.db')], ctx.dir);
    expect(cli.status).toBe(0);
    expect(JSON.parse(cli.stdout).hypervolume).toBeCloseTo(front.hypervolume);
  });
});
