import { join } from 'node:path';
import request from 'supertest';
import { readCsvTable } from '../../src/models/data/csv-table';
import { splitRows } from '../../src/models/data/dataset-splits';
import { gzipSize } from '../../src/models/compression/variant-measure';
import { openHttpApp } from '../support/http-fixture';

const IRIS = join(__dirname, '../../experiments/data/iris.csv');
const DATASET = { path: IRIS, target: 'species', validation: { fraction: 0.25, seed: 1 }, test: { fraction: 0.2, seed: 5 } };

describe('compression at promotion: pruned and distilled variants, each its own version', () => {
  let ctx: Awaited<ReturnType<typeof openHttpApp>>;
  const http = () => request(ctx.app.getHttpServer());
  const rowsOf: Record<'validation' | 'test', { instances: Record<string, unknown>[]; labels: string[] }> = {
    validation: { instances: [], labels: [] },
    test: { instances: [], labels: [] },
  };
  const accuracy = async (query: string, part: 'validation' | 'test') => {
    const { predictions } = (await http().post(`/api/models/iris-small/predict${query}`).send({ instances: rowsOf[part].instances }).expect(200)).body;
    return predictions.filter((p: { label: string }, i: number) => p.label === rowsOf[part].labels[i]).length / predictions.length;
  };

  beforeAll(async () => {
    ctx = await openHttpApp();
    const table = await readCsvTable(IRIS);
    const split = splitRows(table, { task: 'classification', dataset: DATASET });
    const t = table.header.indexOf('species');
    for (const part of ['validation', 'test'] as const) {
      rowsOf[part] = {
        instances: split[part].map((r) => Object.fromEntries(table.header.flatMap((n, j) => (j === t ? [] : [[n, table.rows[r][j]]])))),
        labels: split[part].map((r) => String(table.rows[r][t])),
      };
    }
    const body = {
      name: 'iris-compress',
      objective: { metric: 'val_accuracy', direction: 'maximize' },
      space: { learning_rate: { type: 'categorical', values: [0.02] } },
      search: { algorithm: 'random', seed: 2 },
      budget: { maxTrials: 1, parallelism: 1, trialTimeoutSec: 120 },
      trial: { kind: 'tfjs', task: 'classification', dataset: DATASET, epochs: 40, batchSize: 16 },
      registry: {
        model: 'iris-small',
        prune: { sparsity: 0.8, alias: 'edge' },
        distill: { into: { hidden_layers: 1, hidden_units: 6, learning_rate: 0.03, epochs: 60 }, alias: 'tiny' },
      },
    };
    const id = (await http().post('/api/experiments').send(body).expect(201)).body.id;
    expect((await ctx.context.experiments.waitFor(id)).state).toBe('COMPLETE');
  }, 120_000);
  afterAll(() => ctx.close());

  it('stores both variants as versions of their own, aliased as asked, and records them with the experiment', async () => {
    const detail = (await http().get('/api/models/iris-small').expect(200)).body;
    expect(detail.versions.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
    const [distilled, pruned, base] = detail.versions;
    expect(base.compression).toBeNull();
    expect(pruned.compression).toMatchObject({ kind: 'prune', of: 1, settings: { sparsity: 0.8, fineTuneEpochs: 5 } });
    expect(distilled.compression).toMatchObject({ kind: 'distill', of: 1, settings: { temperature: 2 } });
    const aliases = Object.fromEntries(detail.aliases.map((a: { alias: string; version: number }) => [a.alias, a.version]));
    expect(aliases).toEqual({ production: 1, edge: 2, tiny: 3 });
    const experiment = (await http().get('/api/experiments?limit=1').expect(200)).body.items[0];
    expect(experiment.promotion.variants).toEqual([
      { version: 2, kind: 'prune', alias: expect.objectContaining({ name: 'edge', moved: true }) },
      { version: 3, kind: 'distill', alias: expect.objectContaining({ name: 'tiny', moved: true }) },
    ]);
  });

  it('serves each variant through the registry with the accuracy and accuracy change it recorded, on validation and test rows', async () => {
    const versions = (await http().get('/api/models/iris-small').expect(200)).body.versions;
    const baseAccuracy = await accuracy('?version=1', 'validation');
    for (const [alias, v] of [
      ['edge', versions[1]],
      ['tiny', versions[0]],
    ]) {
      const c = v.compression;
      expect(await accuracy(`?alias=${alias}`, 'validation')).toBeCloseTo(c.value, 12);
      expect(c.baseValue).toBeCloseTo(baseAccuracy, 12);
      expect(c.metricChange).toBeCloseTo(c.value - baseAccuracy, 12);
      expect(v.objective.value).toBe(c.value);
      expect(await accuracy(`?alias=${alias}`, 'test')).toBeCloseTo(v.testMetrics.test_accuracy, 12);
      expect(c.latencyMs).toBeGreaterThan(0);
      expect(c.baseLatencyMs).toBeGreaterThan(0);
    }
    // A pruned model that keeps a fifth of its weights still classifies iris.
    expect(versions[1].compression.value).toBeGreaterThan(0.8);
  });

  it('records sizes that match a re-measurement of the stored files', async () => {
    const versions = (await http().get('/api/models/iris-small').expect(200)).body.versions;
    const weights = async (v: { version: number; files: { name: string; bytes: number; sha256: string }[] }) =>
      (await ctx.context.registry.artifacts.readVerified('iris-small', v.version, v.files)).get('weights.bin')!;
    const base = await weights(versions[2]);
    for (const v of versions.slice(0, 2)) {
      const own = await weights(v);
      const c = v.compression;
      expect(c.weightBytes).toBe(own.byteLength);
      expect(c.baseWeightBytes).toBe(base.byteLength);
      expect(c.gzipBytes).toBe(gzipSize(own));
      expect(c.baseGzipBytes).toBe(gzipSize(base));
      expect(c.sizeRatio).toBeCloseTo(gzipSize(own) / gzipSize(base), 12);
      const values = new Float32Array(new Uint8Array(own).buffer);
      expect(c.zeroFraction).toBeCloseTo(values.filter((x) => x === 0).length / values.length, 12);
    }
    const [distilled, pruned] = versions;
    expect(pruned.compression.weightBytes).toBe(base.byteLength);
    expect(pruned.compression.zeroFraction).toBeGreaterThan(0.7);
    expect(pruned.compression.sizeRatio).toBeLessThan(0.5);
    expect(distilled.compression.weightBytes).toBeLessThan(base.byteLength / 20);
  });

  it('refuses a student with parameters the MLP does not have, naming the path', async () => {
    const res = await http()
      .post('/api/models/iris-small/versions')
      .send({ experimentId: 1, distill: { into: { hidden_units: 4, depth: 2 } } })
      .expect(400);
    expect(res.body.problems).toEqual([{ path: 'distill.into.depth', message: expect.stringMatching(/^not a parameter of the built-in mlp model/) }]);
  });
});
