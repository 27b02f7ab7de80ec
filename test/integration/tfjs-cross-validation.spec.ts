import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadTrainedModel } from '../../src/models/artifact/model-artifact';
import { readCsvTable } from '../../src/models/data/csv-table';
import { nonTestRows } from '../../src/models/data/dataset-splits';
import { foldRows } from '../../src/models/data/fold-splits';
import type { Metrics } from '../../src/models/metrics/metrics.types';
import type { TrialContext } from '../../src/trials/kinds/runtime.types';
import { TfjsTrialConfig } from '../../src/trials/kinds/tfjs/tfjs.config';
import { tfjsRuntime } from '../../src/trials/kinds/tfjs/tfjs.runtime';

const IRIS = path.join(__dirname, '../../experiments/data/iris.csv');
const spec: TfjsTrialConfig = {
  kind: 'tfjs',
  task: 'classification',
  model: 'mlp',
  dataset: { path: IRIS, target: 'species', validation: { fraction: 0.2, seed: 4, folds: 3 }, test: { fraction: 0.2, seed: 5 } },
  epochs: 8,
  batchSize: 16,
};

function context(pruneAt = Infinity): TrialContext & { reports: { step: number; metrics: Metrics }[] } {
  const reports: { step: number; metrics: Metrics }[] = [];
  return {
    trialId: 1,
    trialNumber: 1,
    objectiveMetric: 'val_accuracy',
    memoryMb: 2048,
    seed: 3,
    artifactDir: mkdtempSync(path.join(tmpdir(), 'tfjs-cv-')),
    signal: new AbortController().signal,
    reports,
    report: async (step, metrics) => void reports.push({ step, metrics }),
    shouldPrune: () => reports.length >= pruneAt,
  };
}

describe('k-fold cross-validation of a tfjs trial', () => {
  it('makes k disjoint stratified folds of the non-test rows, the same every time', async () => {
    const table = await readCsvTable(IRIS);
    const folds = foldRows(table, spec, 3);
    const rows = nonTestRows(table, spec);
    expect(rows).toHaveLength(120);
    expect(folds.map((f) => f.validation.length)).toEqual([40, 40, 40]);
    expect(folds.flatMap((f) => f.validation).sort((a, b) => a - b)).toEqual(rows);
    for (const f of folds) {
      expect(f.train.length + f.validation.length).toBe(120);
      expect(f.train.some((r) => f.validation.includes(r))).toBe(false);
      const species = new Set(f.validation.map((r) => table.rows[r][4]));
      expect(species.size).toBe(3);
    }
    expect(foldRows(table, spec, 3)).toEqual(folds);
  });

  it('reports each fold at its own steps, gives the mean and spread over folds, and saves a model refitted on every training row', async () => {
    const ctx = context();
    const outcome = await tfjsRuntime.run(spec, { learning_rate: 0.02 }, ctx);
    expect(ctx.reports.map((r) => r.step)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    const lastOfFold = [8, 16, 24].map((s) => ctx.reports.find((r) => r.step === s)!.metrics.val_accuracy);
    const mean = lastOfFold.reduce((a, b) => a + b, 0) / 3;
    expect(outcome.metrics.val_accuracy).toBeCloseTo(mean, 12);
    expect(outcome.metrics.val_accuracy_std).toBeCloseTo(Math.sqrt(lastOfFold.reduce((s, v) => s + (v - mean) ** 2, 0) / 3), 12);
    expect(outcome.metrics.cv_folds).toBe(3);
    expect(outcome.pruned).toBeUndefined();
    const saved = await loadTrainedModel(ctx.artifactDir);
    // Refitted on the 120 non-test rows: its preprocessing's mean is theirs, not one fold's.
    const table = await readCsvTable(IRIS);
    const rows = nonTestRows(table, spec);
    const mean0 = rows.reduce((s, r) => s + (table.rows[r][0] as number), 0) / rows.length;
    expect(saved.preprocessing.features[0]).toMatchObject({ name: table.header[0], mean: expect.closeTo(mean0, 9) });
    saved.model!.dispose();
  });

  it('ends the trial at the fold the pruner stops, without refitting', async () => {
    const ctx = context(11);
    const outcome = await tfjsRuntime.run(spec, { learning_rate: 0.02 }, ctx);
    expect(outcome.pruned).toBe(true);
    expect(ctx.reports.at(-1)!.step).toBe(11);
    expect(outcome.artifactFiles).toBeUndefined();
  });
});
