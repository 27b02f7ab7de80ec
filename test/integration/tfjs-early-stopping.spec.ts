import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Metrics } from '../../src/models/metrics/metrics.types';
import { loadTrainedModel } from '../../src/models/artifact/model-artifact';
import { validationSplitOf } from '../../src/models/data/dataset-splits';
import { metricsOfOutputs } from '../../src/models/training/train';
import type { TrialContext } from '../../src/trials/kinds/runtime.types';
import { TfjsTrialConfig } from '../../src/trials/kinds/tfjs/tfjs.config';
import { tfjsRuntime } from '../../src/trials/kinds/tfjs/tfjs.runtime';

const DIABETES = path.join(__dirname, '../../experiments/data/diabetes.csv');

function context(pruneAt = Infinity): TrialContext & { reports: { step: number; metrics: Metrics }[] } {
  const reports: { step: number; metrics: Metrics }[] = [];
  return {
    trialId: 1,
    trialNumber: 1,
    objectiveMetric: 'val_rmse',
    memoryMb: 2048,
    seed: 5,
    artifactDir: mkdtempSync(path.join(tmpdir(), 'tfjs-es-')),
    signal: new AbortController().signal,
    reports,
    report: async (step, metrics) => void reports.push({ step, metrics }),
    shouldPrune: () => reports.length >= pruneAt,
  };
}

const spec = (earlyStopping?: TfjsTrialConfig['earlyStopping'], model = 'mlp'): TfjsTrialConfig => ({
  kind: 'tfjs',
  task: 'regression',
  model,
  dataset: { path: DIABETES, target: 'progression', validation: { fraction: 0.2, seed: 2 } },
  epochs: 80,
  batchSize: 32,
  ...(earlyStopping ? { earlyStopping } : {}),
});
// A large step size: validation loss bottoms out early, then wanders.
const params = { learning_rate: 0.05, hidden_units: 128, hidden_layers: 3 };

describe('early stopping inside a tfjs trial', () => {
  it('stops `patience` epochs after the best one and saves that epoch: its metrics are the final ones, and the artifact scores them', async () => {
    const ctx = context();
    const outcome = await tfjsRuntime.run(spec({ enabled: true, metric: 'val_loss', patience: 4, minDelta: 0 }), params, ctx);
    const losses = ctx.reports.map((r) => r.metrics.val_loss);
    const best = losses.indexOf(Math.min(...losses));
    expect(ctx.reports.length).toBeLessThan(80);
    expect(ctx.reports.length).toBe(best + 1 + 4);
    expect(outcome.metrics).toEqual({ ...ctx.reports[best].metrics, model_bytes: expect.any(Number), predict_ms: expect.any(Number) });
    const loaded = await loadTrainedModel(ctx.artifactDir);
    const val = await validationSplitOf({ task: 'regression', dataset: spec().dataset }, loaded.preprocessing);
    const rescored = metricsOfOutputs(loaded.preprocessing, loaded.predictEncoded(val.x, val.n), val);
    expect(rescored.val_rmse).toBeCloseTo(outcome.metrics.val_rmse, 3);
    loaded.dispose();
  });

  it('is on by default under model: auto and off for a named family unless configured', async () => {
    const auto = context();
    await tfjsRuntime.run(spec(undefined, 'auto'), { family: 'mlp', ...params }, auto);
    expect(auto.reports.length).toBeLessThan(80);
    const plain = context();
    await tfjsRuntime.run({ ...spec(), epochs: 20 }, params, plain);
    expect(plain.reports).toHaveLength(20);
    const off = context();
    await tfjsRuntime.run({ ...spec({ enabled: false, metric: 'val_loss', patience: 1, minDelta: 0 }, 'auto'), epochs: 20 }, { family: 'mlp', ...params }, off);
    expect(off.reports).toHaveLength(20);
  });

  it('composes with the pruner: a pruner that says stop first ends the trial pruned', async () => {
    const ctx = context(3);
    const outcome = await tfjsRuntime.run(spec({ enabled: true, metric: 'val_loss', patience: 50, minDelta: 0 }), params, ctx);
    expect(outcome.pruned).toBe(true);
    expect(ctx.reports).toHaveLength(3);
    expect(tf.memory().numTensors).toBeLessThan(50);
  });
});
