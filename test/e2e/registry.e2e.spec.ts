import { appendFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { columnIndex, readCsvTable } from '../../src/models/data/csv-table';
import { holdoutSplit } from '../../src/models/data/holdout-split';
import { openHttpApp } from '../support/http-fixture';

const IRIS = join(__dirname, '../../experiments/data/iris.csv');
const VALIDATION = { fraction: 0.2, seed: 1 };
const MAX_BATCH = 40;

/** An iris experiment of one trial; `epochs` and the optimizer make it deterministically good or poor. */
function irisExperiment(
  name: string,
  epochs: number,
  optimizer: 'adam' | 'sgd',
  learningRate: number,
  registry: object | undefined = { model: 'iris', alias: 'production' },
) {
  return {
    name,
    objective: { metric: 'val_accuracy', direction: 'maximize' },
    space: { learning_rate: { type: 'categorical', values: [learningRate] }, optimizer: { type: 'categorical', values: [optimizer] } },
    search: { algorithm: 'random', seed: 3 },
    budget: { maxTrials: 1, parallelism: 1, trialTimeoutSec: 60 },
    trial: { kind: 'tfjs', task: 'classification', model: 'mlp', dataset: { path: IRIS, target: 'species', validation: VALIDATION }, epochs, batchSize: 16 },
    ...(registry ? { registry } : {}),
  };
}

describe('model registry and serving over HTTP', () => {
  let ctx: Awaited<ReturnType<typeof openHttpApp>>;
  let holdout: { rows: Record<string, string | number | null>[]; labels: string[] };
  const http = () => request(ctx.app.getHttpServer());
  const model = async () => (await http().get('/api/models/iris').expect(200)).body;
  const production = async () => (await model()).aliases.find((a: { alias: string }) => a.alias === 'production')?.version;
  const predict = (instances: unknown[], query = '') => http().post(`/api/models/iris/predict${query}`).send({ instances });

  /** Runs an experiment to its end; `waitFor` resolves only after the finished-experiment hooks (promotion) ran. */
  async function runExperiment(body: object): Promise<number> {
    const id = (await http().post('/api/experiments').send(body).expect(201)).body.id as number;
    const final = await ctx.context.experiments.waitFor(id);
    expect(final.state).toBe('COMPLETE');
    return id;
  }

  function accuracyOf(predictions: { label: string }[]): number {
    return predictions.filter((p, i) => p.label === holdout.labels[i]).length / holdout.labels.length;
  }

  beforeAll(async () => {
    process.env.HPO_MAX_PREDICT_BATCH = String(MAX_BATCH);
    ctx = await openHttpApp();
    // One listening server: supertest would otherwise open and close one per request, which resets concurrent requests.
    await new Promise<void>((resolve) => ctx.app.getHttpServer().listen(0, '127.0.0.1', resolve));
    const table = await readCsvTable(IRIS);
    const t = columnIndex(table, 'species');
    const split = holdoutSplit(table.rows.length, { ...VALIDATION, strata: table.rows.map((r) => String(r[t])) });
    const names = table.header.filter((_, j) => j !== t);
    holdout = {
      rows: split.validation.map((r) => Object.fromEntries(names.map((n) => [n, table.rows[r][table.header.indexOf(n)]]))),
      labels: split.validation.map((r) => String(table.rows[r][t])),
    };
  });
  afterAll(async () => {
    delete process.env.HPO_MAX_PREDICT_BATCH;
    await ctx.close();
  });

  it('promotes the best trial of a finished experiment, and serves it with the accuracy it was scored with', async () => {
    const first = await runExperiment(irisExperiment('iris-poor', 1, 'sgd', 0.001));
    const m = await model();
    expect(m.versions).toHaveLength(1);
    expect(await production()).toBe(1);
    const v1 = (await http().get('/api/models/iris/versions/1').expect(200)).body;
    expect(v1).toMatchObject({
      model: 'iris',
      version: 1,
      experimentId: first,
      trialNumber: 1,
      objective: { metric: 'val_accuracy', direction: 'maximize' },
      archived: false,
    });
    expect(v1.inputSchema.features.map((f: { name: string }) => f.name)).toEqual(Object.keys(holdout.rows[0]));
    expect(v1.inputSchema.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(v1.files.map((f: { name: string }) => f.name).sort()).toEqual(['model.json', 'preprocessing.json', 'weights.bin']);
    expect(v1.files.every((f: { sha256: string; bytes: number }) => /^[0-9a-f]{64}$/.test(f.sha256) && f.bytes > 0)).toBe(true);

    const res = await predict(holdout.rows).expect(200);
    expect(res.body).toMatchObject({ model: 'iris', version: 1 });
    expect(res.body.predictions).toHaveLength(holdout.rows.length);
    expect(accuracyOf(res.body.predictions)).toBeCloseTo(v1.metrics.val_accuracy, 9);
    const p = res.body.predictions[0];
    expect(Object.values(p.probabilities).reduce((s: number, x) => s + (x as number), 0)).toBeCloseTo(1, 4);
  });

  it('moves the alias for a better model, not for a worse one; rolls back; keeps serving after the trial files are deleted', async () => {
    const good = await runExperiment(irisExperiment('iris-good', 40, 'adam', 0.05));
    expect(await production()).toBe(2);
    const v2 = (await http().get('/api/models/iris/versions/2').expect(200)).body;
    expect(v2.objective.value).toBeGreaterThan((await http().get('/api/models/iris/versions/1')).body.objective.value);
    // The trial's own files gone (moved aside, restored for the quantization test): the registry's copy serves.
    const trialDir = join(ctx.context.settings.artifactsDir, String(good));
    renameSync(trialDir, `${trialDir}.aside`);
    ctx.context.serving.clearCache();
    const served = await predict(holdout.rows).expect(200);
    renameSync(`${trialDir}.aside`, trialDir);
    expect(served.body.version).toBe(2);
    expect(accuracyOf(served.body.predictions)).toBeCloseTo(v2.metrics.val_accuracy, 9);

    await runExperiment(irisExperiment('iris-poor-again', 1, 'sgd', 0.001));
    expect((await model()).versions).toHaveLength(3);
    expect(await production()).toBe(2);

    await http().put('/api/models/iris/aliases/production').send({ version: 1 }).expect(200);
    expect((await predict(holdout.rows.slice(0, 2)).expect(200)).body.version).toBe(1);
    await http().put('/api/models/iris/aliases/production').send({ version: 2 }).expect(200);
    expect((await predict(holdout.rows.slice(0, 2)).expect(200)).body.version).toBe(2);
  });

  it('serves every request while the alias moves back and forth', async () => {
    let moving = true;
    const mover = (async () => {
      for (let i = 0; i < 6; i++)
        await http()
          .put('/api/models/iris/aliases/production')
          .send({ version: i % 2 === 0 ? 1 : 2 })
          .expect(200);
      moving = false;
    })();
    const statuses: number[] = [];
    const versions = new Set<number>();
    while (moving || statuses.length < 20) {
      const batch = await Promise.all(Array.from({ length: 4 }, () => predict([holdout.rows[0]])));
      for (const r of batch) {
        statuses.push(r.status);
        versions.add(r.body.version);
      }
    }
    await mover;
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect([...versions].every((v) => v === 1 || v === 2)).toBe(true);
    await http().put('/api/models/iris/aliases/production').send({ version: 2 }).expect(200);
  });

  it('refuses a tampered artifact with 409 naming the file, while the alias keeps serving the good version', async () => {
    appendFileSync(join(ctx.context.settings.registryDir, 'iris', '3', 'weights.bin'), Buffer.from([1, 2, 3, 4]));
    const move = await http().put('/api/models/iris/aliases/production').send({ version: 3 }).expect(409);
    expect(move.body.message).toMatch(/weights\.bin/);
    expect(await production()).toBe(2);
    expect((await predict([holdout.rows[0]]).expect(200)).body.version).toBe(2);
    const direct = await predict([holdout.rows[0]], '?version=3').expect(409);
    expect(direct.body.message).toMatch(/version 3: weights\.bin/);

    // An alias moved onto the tampered version behind this process's back (another process, say): the alias's last good version answers.
    await http().put('/api/models/iris/aliases/staging').send({ version: 2 }).expect(200);
    expect((await predict([holdout.rows[0]], '?alias=staging').expect(200)).body.version).toBe(2);
    const registry = ctx.context.registry;
    await registry.models.moveAlias(await registry.requireModelId('iris'), 'staging', 3, Date.now());
    registry.notifyChanged('iris');
    expect((await predict([holdout.rows[0]], '?alias=staging').expect(200)).body).toMatchObject({ version: 2, fallbackFrom: 3 });
    await http().put('/api/models/iris/aliases/staging').send({ version: 2 }).expect(200);
  });

  it('archives and deletes versions, never one an alias holds', async () => {
    await http().delete('/api/models/iris/versions/2').expect(409);
    await http().post('/api/models/iris/versions/2/archive').send({}).expect(409);
    expect((await http().post('/api/models/iris/versions/1/archive').send({}).expect(200)).body.archived).toBe(true);
    await http().put('/api/models/iris/aliases/production').send({ version: 1 }).expect(409);
    await http().delete('/api/models/iris/versions/3').expect(204);
    await http().get('/api/models/iris/versions/3').expect(404);
    const extra = await http().put('/api/models/iris/aliases/staging').send({ version: 2, extra: 1 }).expect(400);
    expect(extra.body.problems).toEqual([{ path: 'body.extra', message: 'unknown key (allowed: version)' }]);
    const text = await http().put('/api/models/iris/aliases/staging').send({ version: '2' }).expect(400);
    expect(text.body.problems).toEqual([{ path: 'body.version', message: 'must be a finite number, got "2"' }]);
    await http().post('/api/models/iris/versions/1/archive').send({ archive: false }).expect(400);
    await http().put('/api/models/iris/aliases/staging').send({ version: 2 }).expect(200);
    await http().delete('/api/models/iris/aliases/staging').expect(204);
    await http().delete('/api/models/iris/aliases/staging').expect(404);
  });

  const f = ['sepal_length_cm', 'sepal_width_cm', 'petal_length_cm', 'petal_width_cm'];
  const bad: [string, unknown, string, RegExp][] = [
    ['no instances', {}, 'instances', /required/],
    ['an empty batch', { instances: [] }, 'instances', /at least one/],
    ['a batch over the limit', { instances: Array.from({ length: MAX_BATCH + 1 }, () => [5, 3, 1, 0.2]) }, 'instances', /at most 40/],
    [
      'a row with too few values',
      {
        instances: [
          [5, 3, 1, 0.2],
          [5, 3, 1],
        ],
      },
      'instances[1]',
      /expected 4 values/,
    ],
    [
      'a non-numeric value',
      {
        instances: [
          [5, 3, 1, 0.2],
          [5, 3, 1, 0.2],
          [5, 3, 1, 0.2],
          [5, 'abc', 1, 0.2],
        ],
      },
      `instances[3].${f[1]}`,
      /expected a number, got "abc"/,
    ],
    [
      'an unknown feature name',
      { instances: [{ ...Object.fromEntries(f.map((n) => [n, 1])), petal_colour: 1 }] },
      'instances[0].petal_colour',
      /unknown feature/,
    ],
    ['an array where a number goes', { instances: [[[5], 3, 1, 0.2]] }, `instances[0].${f[0]}`, /^expected a number, got an array$/],
    ['an unknown field beside instances', { instances: [[5, 3, 1, 0.2]], instance: [[5, 3, 1, 0.2]] }, 'instance', /^unknown key/],
  ];
  it.each(bad)('answers 400 for %s, naming the path', async (_label, body, path, message) => {
    const res = await http()
      .post('/api/models/iris/predict')
      .send(body as object)
      .expect(400);
    const problem = res.body.problems.find((p: { path: string }) => p.path === path);
    expect(problem?.message).toMatch(message);
  });

  it('fills in missing values (null, "", an absent key) with the saved training statistics, and says so in the response', async () => {
    const served = await production();
    const version = (await model()).versions.find((v: { version: number }) => v.version === served);
    const fills = version.inputSchema.features.map((x: { missingBecomes: number }) => x.missingBecomes);
    expect(fills.every((v: unknown) => typeof v === 'number')).toBe(true);
    const row = Object.fromEntries(f.map((n, i) => [n, [5.1, 3.5, 1.4, 0.2][i]]));
    const gaps = [{ ...row, [f[0]]: null }, { ...row, [f[1]]: '' }, Object.fromEntries(Object.entries(row).filter(([k]) => k !== f[2]))];
    const filled = [
      { ...row, [f[0]]: fills[0] },
      { ...row, [f[1]]: fills[1] },
      { ...row, [f[2]]: fills[2] },
    ];
    const res = (await predict(gaps, `?version=${served}`).expect(200)).body;
    expect(res.predictions).toEqual((await predict(filled, `?version=${served}`).expect(200)).body.predictions);
    expect(res.imputed).toEqual([0, 1, 2].map((i) => ({ instance: i, feature: f[i], value: fills[i] })));
    expect(res.unknownCategories).toBeUndefined();
  });

  it('answers 400, not 500, to a value nested 10000 deep and to a number beyond float range', async () => {
    const deep = await http()
      .post('/api/models/iris/predict')
      .set('Content-Type', 'application/json')
      .send(`{"instances": [[${'['.repeat(10_000)}${']'.repeat(10_000)}, 3, 1, 0.2]]}`)
      .expect(400);
    expect(deep.body.problems).toEqual([{ path: `instances[0].${f[0]}`, message: 'expected a number, got an array' }]);
    const infinite = await http()
      .post('/api/models/iris/predict')
      .set('Content-Type', 'application/json')
      .send('{"instances": [[1e309, 3, 1, 0.2]]}')
      .expect(400);
    expect(infinite.body.problems).toEqual([{ path: `instances[0].${f[0]}`, message: 'expected a finite number, got Infinity' }]);
    const bare = await http().post('/api/models/iris/predict').set('Content-Type', 'application/json').send('null').expect(400);
    expect(bare.body.problems).toEqual([{ path: 'body', message: 'must be an object' }]);
  });

  it('promotes a quantized variant that predicts within its recorded metric change', async () => {
    const good = (await http().get('/api/experiments?limit=10').expect(200)).body.items.find((e: { name: string }) => e.name === 'iris-good').id;
    const res = await http()
      .post('/api/models/iris/versions')
      .send({ experimentId: good, quantize: 'uint8', description: 'uint8 weights', tags: { kind: 'quantized' } })
      .expect(201);
    const v = res.body.version;
    expect(res.body.alias).toBeUndefined();
    expect(v.quantization).toMatchObject({ dtype: 'uint8', metric: 'val_accuracy' });
    expect(v.quantization.sizeRatio).toBeGreaterThan(0.2);
    expect(v.quantization.sizeRatio).toBeLessThan(0.3);
    const q = await predict(holdout.rows, `?version=${v.version}`).expect(200);
    expect(accuracyOf(q.body.predictions)).toBeCloseTo(v.quantization.quantizedValue, 9);
    expect(v.quantization.originalValue + v.quantization.metricChange).toBeCloseTo(v.quantization.quantizedValue, 9);
    expect(Math.abs(v.quantization.metricChange)).toBeLessThanOrEqual(0.1);
    await http().post('/api/models/iris/versions').send({ experimentId: good, quantize: 'int4' }).expect(400);
    const same = await http().post('/api/models/iris/versions').send({ experimentId: good, trialNumber: 1, alias: 'production' }).expect(201);
    expect(same.body.alias).toMatchObject({ moved: false, version: 2 });
    const forced = await http().post('/api/models/iris/versions').send({ experimentId: good, trialNumber: 1, alias: 'production', force: true }).expect(201);
    expect(forced.body.alias).toMatchObject({ moved: true, version: forced.body.version.version, previousVersion: 2, reason: 'forced' });
    await http()
      .post('/api/models/nope/predict')
      .send({ instances: [[1, 2, 3, 4]] })
      .expect(404);
    // A TensorFlow Serving client's body, signature name included, works as it is.
    const tfServing = await http()
      .post('/api/models/iris/predict')
      .send({ signature_name: 'serving_default', instances: [[5.1, 3.5, 1.4, 0.2]] })
      .expect(200);
    expect(tfServing.body.predictions[0].label).toBe('setosa');
  });
});
