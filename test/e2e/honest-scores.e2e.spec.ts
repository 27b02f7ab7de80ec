import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { readCsvTable } from '../../src/models/data/csv-table';
import { splitRows } from '../../src/models/data/dataset-splits';
import { hpo } from '../support/cli-runner';
import { openHttpApp } from '../support/http-fixture';

const IRIS = join(__dirname, '../../experiments/data/iris.csv');
const DATASET = { path: IRIS, target: 'species', validation: { fraction: 0.2, seed: 1 }, test: { fraction: 0.2, seed: 5 } };

function experiment(name: string, registry?: object) {
  return {
    name,
    objective: { metric: 'val_accuracy', direction: 'maximize' },
    space: { learning_rate: { type: 'float', low: 0.01, high: 0.05 } },
    search: { algorithm: 'random', seed: 2 },
    budget: { maxTrials: 2, parallelism: 1, trialTimeoutSec: 120 },
    trial: { kind: 'tfjs', task: 'classification', dataset: DATASET, epochs: 40, batchSize: 16 },
    ...(registry ? { registry } : {}),
  };
}

describe('honest scores: test rows held out of every trial, scored once at the end', () => {
  let ctx: Awaited<ReturnType<typeof openHttpApp>>;
  const http = () => request(ctx.app.getHttpServer());
  let testRows: { instances: Record<string, unknown>[]; labels: string[] };

  beforeAll(async () => {
    ctx = await openHttpApp();
    const table = await readCsvTable(IRIS);
    const { test } = splitRows(table, { task: 'classification', dataset: DATASET });
    const t = table.header.indexOf('species');
    testRows = {
      instances: test.map((r) => Object.fromEntries(table.header.flatMap((n, j) => (j === t ? [] : [[n, table.rows[r][j]]])))),
      labels: test.map((r) => String(table.rows[r][t])),
    };
  });
  afterAll(() => ctx.close());

  it('records the test metrics on the experiment, the registered version and its leaderboard row; they match a re-measurement', async () => {
    const id = (
      await http()
        .post('/api/experiments')
        .send(experiment('iris-test', { model: 'iris-honest' }))
        .expect(201)
    ).body.id;
    expect((await ctx.context.experiments.waitFor(id)).state).toBe('COMPLETE');
    const view = (await http().get(`/api/experiments/${id}`).expect(200)).body;
    const score = view.testScore;
    expect(score).toMatchObject({
      trialNumber: view.bestTrial.number,
      model: 'iris-honest',
      version: 1,
      validation: { metric: 'val_accuracy', value: view.bestTrial.value },
    });
    expect(Object.keys(score.metrics).sort()).toEqual(['test_accuracy', 'test_auc', 'test_f1', 'test_loss']);
    const version = (await http().get('/api/models/iris-honest/versions/1').expect(200)).body;
    expect(version.testMetrics).toEqual(score.metrics);
    const board = (await http().get(`/api/experiments/${id}/leaderboard`).expect(200)).body;
    const best = board.complete.find((r: { trial: { number: number } }) => r.trial.number === score.trialNumber);
    expect(best.testMetrics).toEqual(score.metrics);
    expect(board.complete.filter((r: { testMetrics?: unknown }) => r.testMetrics)).toHaveLength(1);
    // Re-measured through the registry on the 30 test rows: the recorded accuracy is what serving gives.
    expect(testRows.labels).toHaveLength(30);
    const predictions = (await http().post('/api/models/iris-honest/predict?version=1').send({ instances: testRows.instances }).expect(200)).body.predictions;
    const hits = predictions.filter((p: { label: string }, i: number) => p.label === testRows.labels[i]).length;
    expect(score.metrics.test_accuracy).toBeCloseTo(hits / 30, 9);
  });

  it('scores the topK best trials too, each beside its own row of the leaderboard', async () => {
    const body = experiment('iris-top2', { model: 'iris-top' });
    body.trial.dataset = { ...DATASET, test: { ...DATASET.test, topK: 2 } } as typeof DATASET;
    const id = (await http().post('/api/experiments').send(body).expect(201)).body.id;
    expect((await ctx.context.experiments.waitFor(id)).state).toBe('COMPLETE');
    const score = (await http().get(`/api/experiments/${id}`).expect(200)).body.testScore;
    expect(score.ranked).toHaveLength(2);
    expect(score.ranked[0]).toEqual({ trialNumber: score.trialNumber, metrics: score.metrics });
    const board = (await http().get(`/api/experiments/${id}/leaderboard`).expect(200)).body;
    expect(board.complete.map((r: { trial: { number: number }; testMetrics: unknown }) => [r.trial.number, r.testMetrics])).toEqual(
      score.ranked.map((r: { trialNumber: number; metrics: unknown }) => [r.trialNumber, r.metrics]),
    );
  });

  it('scores the best trial without a registry section too, and hpo run prints it beside the validation score', async () => {
    const file = join(ctx.dir, 'iris-test.json');
    writeFileSync(file, JSON.stringify(experiment('iris-test-cli')));
    const run = hpo(['run', file, '--db', join(ctx.dir, 'cli.db')], ctx.dir);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/leaderboard by val_accuracy \(maximize\)\n.*rank.*trial.*val_accuracy.*test_accuracy/);
    expect(run.stdout).toMatch(/test score of trial \d+ on rows no trial saw: test_accuracy=[\d.]+ \(validation val_accuracy=[\d.]+\)/);
    const json = JSON.parse(hpo(['show', '1', '--db', join(ctx.dir, 'cli.db'), '--json'], ctx.dir).stdout);
    expect(json.testScore.metrics.test_accuracy).toBeGreaterThan(0.5);
    expect(json.testScore.model).toBeUndefined();
  });
});
