import { ModelDataSpec, testSplitOf } from '../data/dataset-splits';
import { PreprocessingState } from '../data/preprocessing';
import type { Metrics } from '../metrics/metrics.types';
import { metricsOfOutputs } from '../training/train';
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
    // Through the artifact's own predictor, so every family (a forest too) is scored the same way.
    return asTestMetrics(metricsOfOutputs(built.preprocessing, built.predictEncoded(split.x, split.n), split));
  } finally {
    built.dispose();
  }
}
