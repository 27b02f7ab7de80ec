import { loadDataset, PreparedData, prepareData } from '../../../models/data/dataset-splits';
import { VALIDATION_METRICS } from '../../../models/metrics/metrics.types';
import { DEPLOYMENT_METRICS, deploymentMetrics } from '../../../models/metrics/deployment-metrics';
import { initTfjsBackend } from '../../../models/tfjs/backend';
import type { TrainingMonitor } from '../../../models/training/training-monitor';
import type { Params } from '../../../search/space/space.types';
import type { TrialContext, TrialOutcome, TrialRuntime } from '../runtime.types';
import { crossValidate, FittedModel } from './cross-validation';
import type { TfjsTrialConfig } from './tfjs.config';
import { earlyStoppingOf, familyOfTrial } from './tfjs-model';

/**
 * The built-in TensorFlow.js trial: trains a model of the chosen family (under `model: auto`, the
 * family its `family` parameter names) on a CSV dataset and saves it under `ctx.artifactDir`. Its
 * final metrics are those of the model saved: the best epoch's under early stopping, else the last;
 * with `dataset.validation.folds` the means over the folds, the model refitted on every training
 * row. Beside them, the saved model's size (`model_bytes`) and its measured one-row latency (`predict_ms`).
 */
export const tfjsRuntime: TrialRuntime<TfjsTrialConfig> = {
  kind: 'tfjs',
  async run(spec: TfjsTrialConfig, params: Params, ctx: TrialContext): Promise<TrialOutcome> {
    const { family, params: own } = familyOfTrial(spec, params);
    const known = [...VALIDATION_METRICS[spec.task], ...DEPLOYMENT_METRICS];
    if (ctx.objectiveMetric && !known.includes(ctx.objectiveMetric)) {
      throw new Error(`objective metric '${ctx.objectiveMetric}' is not reported by a tfjs ${spec.task} trial (${known.join(', ')})`);
    }
    const backend = await initTfjsBackend();
    const table = await loadDataset(spec.dataset.path);
    const earlyStopping = earlyStoppingOf(spec);
    const fit = (data: PreparedData, monitor: TrainingMonitor): Promise<FittedModel> => {
      const prep = data.preprocessing;
      const outputSize = prep.task === 'classification' ? prep.classes!.length : 1;
      const shape = { task: prep.task, inputSize: prep.inputSize, outputSize, ...(spec.dataset.shape ? { inputShape: spec.dataset.shape } : {}) };
      return family.fit(
        own,
        data,
        shape,
        { epochs: spec.epochs, batchSize: spec.batchSize, seed: ctx.seed, ...(earlyStopping ? { earlyStopping } : {}) },
        monitor,
      );
    };
    const folds = spec.dataset.validation.folds;
    if (folds) {
      const cv = await crossValidate(table, spec, folds, spec.epochs, fit, ctx);
      if (!cv.refit) return { metrics: cv.metrics, backend, pruned: true };
      try {
        const artifactFiles = await cv.refit.fitted.save(ctx.artifactDir);
        const row = cv.refit.data.train.x.subarray(0, cv.refit.data.preprocessing.inputSize);
        const metrics = { ...cv.metrics, ...(await deploymentMetrics(ctx.artifactDir, row)) };
        return { metrics, backend, artifactFiles };
      } finally {
        cv.refit.fitted.dispose();
      }
    }
    const data = prepareData(table, spec);
    const fitted = await fit(data, ctx);
    try {
      const artifactFiles = await fitted.save(ctx.artifactDir);
      const row = data.validation.x.subarray(0, data.preprocessing.inputSize);
      const metrics = { ...fitted.metrics, ...(await deploymentMetrics(ctx.artifactDir, row)) };
      return { metrics, backend, artifactFiles, ...(fitted.pruned ? { pruned: true } : {}) };
    } finally {
      fitted.dispose();
    }
  },
};
