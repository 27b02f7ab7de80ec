import { saveTrainedModel } from '../../../models/artifact/model-artifact';
import { loadDataset, PreparedData, prepareData } from '../../../models/data/dataset-splits';
import { buildMlp, createOptimizer } from '../../../models/families/mlp/mlp';
import { resolveMlpHyperparameters } from '../../../models/families/mlp/mlp-hyperparameters';
import { VALIDATION_METRICS } from '../../../models/metrics/metrics.types';
import { DEPLOYMENT_METRICS, deploymentMetrics } from '../../../models/metrics/deployment-metrics';
import { initTfjsBackend } from '../../../models/tfjs/backend';
import { trainModel } from '../../../models/training/train';
import type { TrainingMonitor } from '../../../models/training/training-monitor';
import type { Params } from '../../../search/space/space.types';
import type { TrialContext, TrialOutcome, TrialRuntime } from '../runtime.types';
import { crossValidate, FittedModel } from './cross-validation';
import type { TfjsTrialConfig } from './tfjs.config';

/**
 * The built-in TensorFlow.js trial: trains an MLP on a CSV dataset and saves it under
 * `ctx.artifactDir`. Its final metrics are the validation metrics of the last epoch trained; with
 * `dataset.validation.folds` the means over the folds, the model refitted on every training row.
 * Beside them, the saved model's size (`model_bytes`) and its measured one-row latency (`predict_ms`).
 */
export const tfjsRuntime: TrialRuntime<TfjsTrialConfig> = {
  kind: 'tfjs',
  async run(spec: TfjsTrialConfig, params: Params, ctx: TrialContext): Promise<TrialOutcome> {
    if (spec.model !== 'mlp') throw new Error(`unknown tfjs model '${spec.model}' (known: mlp)`);
    const hp = resolveMlpHyperparameters(params, spec);
    const known = [...VALIDATION_METRICS[spec.task], ...DEPLOYMENT_METRICS];
    if (ctx.objectiveMetric && !known.includes(ctx.objectiveMetric)) {
      throw new Error(`objective metric '${ctx.objectiveMetric}' is not reported by a tfjs ${spec.task} trial (${known.join(', ')})`);
    }
    const backend = await initTfjsBackend();
    const table = await loadDataset(spec.dataset.path);
    const fit = async (data: PreparedData, monitor: TrainingMonitor): Promise<FittedModel> => {
      const prep = data.preprocessing;
      const outputSize = prep.task === 'classification' ? prep.classes!.length : 1;
      const model = buildMlp(hp, { task: prep.task, inputSize: prep.inputSize, outputSize }, ctx.seed);
      const optimizer = createOptimizer(hp);
      const dispose = () => {
        model.dispose();
        optimizer.dispose();
      };
      try {
        const options = { epochs: hp.epochs, batchSize: hp.batch_size, seed: ctx.seed };
        const result = await trainModel(model, optimizer, prep, data.train, data.validation, options, monitor);
        return { metrics: result.metrics, pruned: result.pruned, model, dispose };
      } catch (error) {
        dispose();
        throw error;
      }
    };
    const folds = spec.dataset.validation.folds;
    if (folds) {
      const cv = await crossValidate(table, spec, folds, hp.epochs, fit, ctx);
      if (!cv.refit) return { metrics: cv.metrics, backend, pruned: true };
      try {
        const artifactFiles = await saveTrainedModel(cv.refit.fitted.model, cv.refit.data.preprocessing, ctx.artifactDir);
        const row = cv.refit.data.train.x.subarray(0, cv.refit.data.preprocessing.inputSize);
        const metrics = { ...cv.metrics, ...(await deploymentMetrics(cv.refit.fitted.model, ctx.artifactDir, row)) };
        return { metrics, backend, artifactFiles };
      } finally {
        cv.refit.fitted.dispose();
      }
    }
    const data = prepareData(table, spec);
    const fitted = await fit(data, ctx);
    try {
      const artifactFiles = await saveTrainedModel(fitted.model, data.preprocessing, ctx.artifactDir);
      const row = data.validation.x.subarray(0, data.preprocessing.inputSize);
      const metrics = { ...fitted.metrics, ...(await deploymentMetrics(fitted.model, ctx.artifactDir, row)) };
      return { metrics, backend, artifactFiles, ...(fitted.pruned ? { pruned: true } : {}) };
    } finally {
      fitted.dispose();
    }
  },
};
