import { join } from 'node:path';
import request from 'supertest';
import { columnIndex, readCsvTable } from '../../src/models/data/csv-table';
import { holdoutSplit } from '../../src/models/data/holdout-split';
import { openHttpApp } from '../support/http-fixture';

const DATA = join(__dirname, '../../experiments/data');
const VALIDATION = { fraction: 0.2, seed: 1 };

interface Case {
  family: string;
  file: string;
  target: string;
  params: Record<string, unknown>;
  shape?: number[];
}

const CASES: Case[] = [
  { family: 'linear', file: 'iris.csv', target: 'species', params: { learning_rate: 0.05 } },
  { family: 'mlp', file: 'iris.csv', target: 'species', params: { hidden_units: 16 } },
  { family: 'forest', file: 'iris.csv', target: 'species', params: { n_estimators: 20, max_depth: 5 } },
  { family: 'cnn', file: 'glyphs-8x8.csv', target: 'digit', params: { filters: 8, conv_layers: 1, dense_units: 32 }, shape: [8, 8, 1] },
];

/** The validation rows of a CSV as objects keyed by column, with their labels: what the trial was scored on. */
async function holdout(file: string, target: string): Promise<{ rows: Record<string, unknown>[]; labels: string[] }> {
  const table = await readCsvTable(join(DATA, file));
  const t = columnIndex(table, target);
  const split = holdoutSplit(table.rows.length, { ...VALIDATION, strata: table.rows.map((r) => String(r[t])) });
  const names = table.header.filter((_, j) => j !== t);
  return {
    rows: split.validation.map((r) => Object.fromEntries(names.map((n) => [n, table.rows[r][table.header.indexOf(n)]]))),
    labels: split.validation.map((r) => String(table.rows[r][t])),
  };
}

/**
 * Every model family through the registry: an experiment trains it, the finished experiment
 * registers it, and `POST /api/models/:name/predict` loads it and predicts the validation rows with
 * exactly the accuracy recorded for the trial. Runs worker threads from `dist/` (build first).
 */
describe('every model family predicts through the registry', () => {
  let ctx: Awaited<ReturnType<typeof openHttpApp>>;
  const http = () => request(ctx.app.getHttpServer());
  let forestExperiment = 0;
  beforeAll(async () => (ctx = await openHttpApp()));
  afterAll(async () => ctx.close());

  it.each(CASES.map((c) => [c.family, c] as const))(
    '%s',
    async (family, c) => {
      const space = Object.fromEntries(Object.entries(c.params).map(([k, v]) => [k, { type: 'categorical', values: [v] }]));
      const body = {
        name: `family-${family}`,
        objective: { metric: 'val_accuracy', direction: 'maximize' },
        space,
        search: { algorithm: 'random', seed: 1 },
        budget: { maxTrials: 1, parallelism: 1, trialTimeoutSec: 120 },
        trial: {
          kind: 'tfjs',
          task: 'classification',
          model: family,
          dataset: { path: join(DATA, c.file), target: c.target, validation: VALIDATION, ...(c.shape ? { shape: c.shape } : {}) },
          epochs: 15,
          batchSize: 16,
        },
        registry: { model: `m-${family}` },
      };
      const id = (await http().post('/api/experiments').send(body).expect(201)).body.id as number;
      expect(await ctx.context.experiments.waitFor(id)).toMatchObject({ state: 'COMPLETE' });
      if (family === 'forest') forestExperiment = id;
      const version = (await http().get(`/api/models/m-${family}`).expect(200)).body.versions[0];
      const data = await holdout(c.file, c.target);
      const res = await http().post(`/api/models/m-${family}/predict`).send({ instances: data.rows }).expect(200);
      const hits = (res.body.predictions as { label: string }[]).filter((p, i) => p.label === data.labels[i]).length;
      expect(hits / data.labels.length).toBeCloseTo(version.metrics.val_accuracy, 9);
      expect(version.metrics.val_accuracy).toBeGreaterThan(0.6);
      const probabilities = Object.values(res.body.predictions[0].probabilities as Record<string, number>);
      expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    },
    180_000,
  );

  it('refuses to quantize a forest, naming the field', async () => {
    const res = await http().post('/api/models/m-forest/versions').send({ experimentId: forestExperiment, quantize: 'uint8' }).expect(400);
    expect(JSON.stringify(res.body)).toContain('quantize');
  });

  it('refuses the cnn without dataset.shape, naming the field', async () => {
    const body = {
      name: 'cnn-no-shape',
      objective: { metric: 'val_accuracy', direction: 'maximize' },
      space: { filters: { type: 'int', low: 4, high: 8 } },
      trial: { kind: 'tfjs', task: 'classification', model: 'cnn', dataset: { path: join(DATA, 'iris.csv'), target: 'species' } },
    };
    const res = await http().post('/api/experiments').send(body).expect(400);
    expect(JSON.stringify(res.body)).toContain('trial.dataset.shape');
  });
});
