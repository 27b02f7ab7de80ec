import { saveTrainedModel } from '../../../models/artifact/model-artifact';
import { loadDataset, prepareData } from '../../../models/data/dataset-splits';
import { buildMlp, createOptimizer } from '../../../models/families/mlp/mlp';
import { resolveMlpHyperparameters } from '../../../models/families/mlp/mlp-hyperparameters';
import { VALIDATION_METRICS } from '../../../models/metrics/metrics.types';
import { DEPLOYMENT_METRICS, deploymentMetrics } from '../../../models/metrics/deployment-metrics';
import { initTfjsBackend } from '../../../models/tfjs/backend';
import { trainModel } from '../../../models/training/train';
import type { Params } from '../../../search/space/space.types';
import type { TrialContext, TrialOutcome, TrialRuntime } from '../runtime.types';
import type { TfjsTrialConfig } from './tfjs.config';

/**
 * The built-in TensorFlow.js trial: trains an MLP on a CSV dataset and saves it under
 * `ctx.artifactDir`. Its final metrics are the validation metrics of the last epoch trained, with
 * the saved model's size (`model_bytes`) and its measured one-row latency (`predict_ms`).
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
    const data = prepareData(await loadDataset(spec.dataset.path), spec);
    const prep = data.preprocessing;
    const outputSize = prep.task === 'classification' ? prep.classes!.length : 1;
    const model = buildMlp(hp, { task: prep.task, inputSize: prep.inputSize, outputSize }, ctx.seed);
    const optimizer = createOptimizer(hp);
    try {
      const result = await trainModel(
        model,
        optimizer,
        prep,
        data.train,
        data.validation,
        { epochs: hp.epochs, batchSize: hp.batch_size, seed: ctx.seed },
        ctx,
      );
      const artifactFiles = await saveTrainedModel(model, prep, ctx.artifactDir);
      const row = data.validation.x.subarray(0, prep.inputSize);
      const metrics = { ...result.metrics, ...(await deploymentMetrics(model, ctx.artifactDir, row)) };
      return { metrics, backend, artifactFiles, ...(result.pruned ? { pruned: true } : {}) };
    } finally {
      model.dispose();
      optimizer.dispose();
    }
  },
};
