import { ModelDataSpec, testSplitOf } from '../data/dataset-splits';
import { PreprocessingState } from '../data/preprocessing';
import type { Metrics } from '../metrics/metrics.types';
import { validationMetrics } from '../training/train';
import { buildModel } from './in-memory-model';

/** Validation metric names as test metric names: `val_accuracy` → `test_accuracy`. */
export function asTestMetrics(metrics: Metrics): Metrics {
  return Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k.replace(/^val_/, 'test_'), v]));
}

/** A test metric's name for a validation metric's: what is shown beside it. */
export const testMetricName = (validationMetric: string): string => validationMetric.replace(/^val_/, 'test_');

/**
 * Scores an artifact once on its dataset's test rows (`dataset.test`), on this thread: the same
 * metrics as validation, named `test_*`. Undefined when the dataset holds no rows out.
 */
export async function scoreOnTest(files: ReadonlyMap<string, Buffer>, spec: ModelDataSpec, prep: PreprocessingState): Promise<Metrics | undefined> {
  const split = await testSplitOf(spec, prep);
  if (!split) return undefined;
  const built = await buildModel(files);
  try {
    return asTestMetrics(await validationMetrics(built.model, built.preprocessing, split));
  } finally {
    built.dispose();
  }
}
