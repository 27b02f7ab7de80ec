import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Params } from '../../src/search/space/space.types';
import { holdoutSplit } from '../../src/models/data/holdout-split';
import type { TrialContext } from '../../src/trials/kinds/runtime.types';
import { loadTrainedModel, ClassPrediction } from '../../src/models/artifact/model-artifact';
import { tfjsRuntime } from '../../src/trials/kinds/tfjs/tfjs.runtime';
import { buildMlp, reseedDropout } from '../../src/models/families/mlp/mlp';
import { resolveMlpHyperparameters } from '../../src/models/families/mlp/mlp-hyperparameters';
import { TfjsTrialConfig as TfjsTrialSpec } from '../../src/trials/kinds/tfjs/tfjs.config';
import type { Metrics } from '../../src/models/metrics/metrics.types';
import { loadDataset } from '../../src/models/data/dataset-splits';
import { nativeBackendAvailable, readBackendPreference } from '../../src/models/tfjs/native-binding';

const DATA = path.join(__dirname, '../../experiments/data');

function spec(file: string, target: string, task: TfjsTrialSpec['task'], epochs: number): TfjsTrialSpec {
  return { kind: 'tfjs', task, model: 'mlp', dataset: { path: path.join(DATA, file), target, validation: { fraction: 0.2, seed: 1 } }, epochs, batchSize: 16 };
}

interface FakeContext extends TrialContext {
  reports: Array<{ step: number; metrics: Metrics; tensors: number }>;
  controller: AbortController;
}

function fakeContext(seed = 7, pruneAfter = Infinity): FakeContext {
  const controller = new AbortController();
  const reports: FakeContext['reports'] = [];
  return {
    trialId: 1,
    trialNumber: 1,
    objectiveMetric: 'val_loss',
    memoryMb: 2048,
    seed,
    artifactDir: mkdtempSync(path.join(tmpdir(), 'tfjs-trial-')),
    signal: controller.signal,
    controller,
    reports,
    async report(step, metrics) {
      reports.push({ step, metrics, tensors: tf.memory().numTensors });
    },
    shouldPrune: () => reports.length >= pruneAfter,
  };
}

const iris = spec('iris.csv', 'species', 'classification', 25);
const small: Params = { learning_rate: 0.01, optimizer: 'adam', hidden_layers: 2, hidden_units: 32 };

describe('tfjs runtime (real training on the bundled data)', () => {
  it('trains an iris classifier, reports every epoch, saves a model that predicts as reported', async () => {
    const ctx = fakeContext();
    const outcome = await tfjsRuntime.run(iris, small, ctx);

    expect(ctx.reports.map((r) => r.step)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    // The final metrics are the last epoch's, with the saved model's size and its measured one-row latency.
    expect(outcome.metrics).toEqual({ ...ctx.reports[24].metrics, model_bytes: expect.any(Number), predict_ms: expect.any(Number) });
    const saved = ['model.json', 'weights.bin'].reduce((n, f) => n + statSync(path.join(ctx.artifactDir, f)).size, 0);
    expect(outcome.metrics.model_bytes).toBe(saved);
    expect(outcome.metrics.predict_ms).toBeGreaterThan(0);
    expect(outcome.pruned).toBeUndefined();
    expect(outcome.backend).toMatch(/^(wasm|cpu|tensorflow(-gpu)?)$/);
    expect(outcome.metrics.val_accuracy).toBeGreaterThan(0.8);
    expect(outcome.metrics.val_auc).toBeGreaterThan(0.9);
    expect(Number.isFinite(outcome.metrics.val_loss)).toBe(true);
    // Optimizer slots appear in the first epoch; after that the tensor count must stay flat.
    expect(new Set(ctx.reports.slice(1).map((r) => r.tensors)).size).toBe(1);

    expect(outcome.artifactFiles).toEqual(['model.json', 'weights.bin', 'preprocessing.json']);
    for (const f of outcome.artifactFiles!) expect(existsSync(path.join(ctx.artifactDir, f))).toBe(true);

    const table = await loadDataset(iris.dataset.path);
    const strata = table.rows.map((r) => String(r[4]));
    const { validation } = holdoutSplit(table.rows.length, { ...iris.dataset.validation, strata });
    const rows = validation.map((i) => Object.fromEntries(table.header.slice(0, 4).map((name, j) => [name, table.rows[i][j]])));
    const loaded = await loadTrainedModel(ctx.artifactDir);
    const predictions = loaded.predict(rows) as ClassPrediction[];
    const hits = predictions.filter((p, k) => p.label === table.rows[validation[k]][4]).length;
    expect(hits / validation.length).toBeCloseTo(outcome.metrics.val_accuracy, 10);
    const probs = Object.values(predictions[0].probabilities);
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    loaded.dispose();
  });

  it('fits the diabetes regression with finite RMSE and positive R²', async () => {
    const ctx = fakeContext();
    const outcome = await tfjsRuntime.run(spec('diabetes.csv', 'progression', 'regression', 15), { ...small, l2: 0.001 }, ctx);
    expect(Object.keys(outcome.metrics).sort()).toEqual(['model_bytes', 'predict_ms', 'val_loss', 'val_mae', 'val_r2', 'val_rmse']);
    expect(Number.isFinite(outcome.metrics.val_rmse)).toBe(true);
    expect(outcome.metrics.val_r2).toBeGreaterThan(0);
    const loaded = await loadTrainedModel(ctx.artifactDir);
    const [first] = loaded.predict([[59, 2, 32.1, 101, 157, 93.2, 38, 4, 4.8598, 87]]);
    expect(Number.isFinite((first as { value: number }).value)).toBe(true);
    loaded.dispose();
  });

  it('stops at the epoch after which the pruner says stop', async () => {
    const ctx = fakeContext(7, 2);
    const outcome = await tfjsRuntime.run(iris, small, ctx);
    expect(ctx.reports.map((r) => r.step)).toEqual([1, 2]);
    expect(outcome.pruned).toBe(true);
    expect(outcome.metrics).toEqual({ ...ctx.reports[1].metrics, model_bytes: expect.any(Number), predict_ms: expect.any(Number) });
  });

  it('throws when the signal aborts', async () => {
    const ctx = fakeContext();
    ctx.report = async () => ctx.controller.abort();
    await expect(tfjsRuntime.run(iris, small, ctx)).rejects.toThrow('aborted');
  });

  it('replays: the same seed gives the same metrics, dropout included', async () => {
    const params: Params = { ...small, dropout: 0.2, optimizer: 'sgd', momentum: 0.9, epochs: 6 };
    const a = await tfjsRuntime.run(iris, params, fakeContext(11));
    const b = await tfjsRuntime.run(iris, params, fakeContext(11));
    const c = await tfjsRuntime.run(iris, params, fakeContext(12));
    // All but the measured latency, which is a timing.
    expect({ ...b.metrics, predict_ms: 0 }).toEqual({ ...a.metrics, predict_ms: 0 });
    expect(c.metrics.val_loss).not.toEqual(a.metrics.val_loss);
  });

  it('rejects parameters the mlp does not know and objectives it does not report', async () => {
    await expect(tfjsRuntime.run(iris, { lr: 0.1 }, fakeContext())).rejects.toThrow(/unknown parameter\(s\) of the mlp model: lr/);
    const ctx = { ...fakeContext(), objectiveMetric: 'val_rmse' };
    await expect(tfjsRuntime.run(iris, small, ctx)).rejects.toThrow(/objective metric 'val_rmse' is not reported by a tfjs classification trial/);
  });

  it('re-seeds dropout so masks vary between batches yet replay from the seed', () => {
    const hp = resolveMlpHyperparameters({ hidden_layers: 1, hidden_units: 64, dropout: 0.5 }, { epochs: 1, batchSize: 1 });
    const model = buildMlp(hp, { task: 'regression', inputSize: 4, outputSize: 1 }, 3);
    const run = (seed: number): Float32Array => {
      reseedDropout(model, seed);
      return tf.tidy(() => (model.apply(tf.ones([1, 4]), { training: true }) as tf.Tensor).dataSync() as Float32Array);
    };
    expect(run(1)).toEqual(run(1));
    expect(run(1)).not.toEqual(run(2));
    model.dispose();
  });
});

describe('tfjs backend choice', () => {
  it('reads HPO_TFJS_BACKEND and rejects unknown values', () => {
    expect(readBackendPreference({})).toBe('auto');
    expect(readBackendPreference({ HPO_TFJS_BACKEND: ' WASM ' })).toBe('wasm');
    expect(() => readBackendPreference({ HPO_TFJS_BACKEND: 'gpu' })).toThrow(/expected one of auto, native, wasm, cpu/);
  });

  it('reports no native binding when forced to wasm or cpu, and when none is installed', () => {
    expect(nativeBackendAvailable({ HPO_TFJS_BACKEND: 'wasm' })).toBe(false);
    expect(nativeBackendAvailable({ HPO_TFJS_BACKEND: 'cpu' })).toBe(false);
    let installed = true;
    try {
      require.resolve('@tensorflow/tfjs-node');
    } catch {
      installed = false;
    }
    if (!installed) expect(nativeBackendAvailable({})).toBe(false);
  });
});
