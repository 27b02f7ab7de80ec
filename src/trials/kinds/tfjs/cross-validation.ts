import type { CsvTable } from '../../../models/data/csv-table';
import type { ModelDataSpec, PreparedData } from '../../../models/data/dataset-splits';
import { foldRows, prepareFold, prepareRefit } from '../../../models/data/fold-splits';
import type { FittedModel } from '../../../models/families/family.types';
import type { Metrics } from '../../../models/metrics/metrics.types';
import type { TrainingMonitor } from '../../../models/training/training-monitor';

export type { FittedModel } from '../../../models/families/family.types';

/** Trains one model on prepared data, reporting through the monitor. */
export type FitModel = (data: PreparedData, monitor: TrainingMonitor) => Promise<FittedModel>;

/** What cross-validation ends with: the mean metrics (and `<metric>_std`, `cv_folds`), and the model refitted on every training row. */
export interface CrossValidated {
  metrics: Metrics;
  pruned: boolean;
  /** The refitted model and its data (absent when a fold was pruned: nothing is refitted then). */
  refit?: { fitted: FittedModel; data: PreparedData };
}

function meanAndSpread(perFold: Metrics[]): Metrics {
  const out: Metrics = {};
  for (const name of Object.keys(perFold[0])) {
    const values = perFold.map((m) => m[name]);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    out[name] = mean;
    out[`${name}_std`] = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
  }
  return { ...out, cv_folds: perFold.length };
}

/**
 * k-fold cross-validation of one set of hyperparameters. Fold f reports its epochs at steps
 * `f · epochs + epoch`, so pruners compare every trial at the same fold and epoch; a pruned fold
 * ends the trial. The trial's metrics are the means over the folds with their population standard
 * deviations beside them; then a model is refitted on every training row (the folds' union, never
 * the test rows) without reporting, and that model is the trial's artifact.
 */
export async function crossValidate(
  table: CsvTable,
  spec: ModelDataSpec,
  k: number,
  epochs: number,
  fit: FitModel,
  ctx: TrainingMonitor,
): Promise<CrossValidated> {
  const perFold: Metrics[] = [];
  const folds = foldRows(table, spec, k);
  for (let f = 0; f < folds.length; f++) {
    const monitor: TrainingMonitor = { signal: ctx.signal, report: (step, m) => ctx.report(f * epochs + step, m), shouldPrune: () => ctx.shouldPrune() };
    const fitted = await fit(prepareFold(table, spec, folds[f]), monitor);
    fitted.dispose();
    if (fitted.pruned) return { metrics: fitted.metrics, pruned: true };
    perFold.push(fitted.metrics);
  }
  const data = prepareRefit(table, spec);
  const silent: TrainingMonitor = { signal: ctx.signal, report: async () => undefined, shouldPrune: () => false };
  const fitted = await fit(data, silent);
  return { metrics: meanAndSpread(perFold), pruned: false, refit: { fitted, data } };
}
