import { saveTrainedModel } from '../../../models/artifact/model-artifact';
import { loadDataset, PreparedData, prepareData } from '../../../models/data/dataset-splits';
import { buildMlp, createOptimizer } from '../../../models/families/mlp/mlp';
import { resolveMlpHyperparameters } from '../../../models/families/mlp/mlp-hyperparameters';
import { VALIDATION_METRICS } from '../../../models/metrics/metrics.types';
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
 */
export const tfjsRuntime: TrialRuntime<TfjsTrialConfig> = {
  kind: 'tfjs',
  async run(spec: TfjsTrialConfig, params: Params, ctx: TrialContext): Promise<TrialOutcome> {
    if (spec.model !== 'mlp') throw new Error(`unknown tfjs model '${spec.model}' (known: mlp)`);
    const hp = resolveMlpHyperparameters(params, spec);
    const known = VALIDATION_METRICS[spec.task];
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
        return { metrics: cv.metrics, backend, artifactFiles };
      } finally {
        cv.refit.fitted.dispose();
      }
    }
    const data = prepareData(table, spec);
    const fitted = await fit(data, ctx);
    try {
      const artifactFiles = await saveTrainedModel(fitted.model, data.preprocessing, ctx.artifactDir);
      return { metrics: fitted.metrics, backend, artifactFiles, ...(fitted.pruned ? { pruned: true } : {}) };
    } finally {
      fitted.dispose();
    }
  },
};
