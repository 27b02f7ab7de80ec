import { loadDataset, prepareData } from '../../../models/data/dataset-splits';
import { VALIDATION_METRICS } from '../../../models/metrics/metrics.types';
import { initTfjsBackend } from '../../../models/tfjs/backend';
import type { Params } from '../../../search/space/space.types';
import type { TrialContext, TrialOutcome, TrialRuntime } from '../runtime.types';
import type { TfjsTrialConfig } from './tfjs.config';
import { earlyStoppingOf, familyOfTrial } from './tfjs-model';

/**
 * The built-in TensorFlow.js trial: trains a model of the chosen family (under `model: auto`, the
 * family its `family` parameter names) on a CSV dataset and saves it under `ctx.artifactDir`. Its
 * final metrics are those of the model saved: the best epoch's under early stopping, else the last.
 */
export const tfjsRuntime: TrialRuntime<TfjsTrialConfig> = {
  kind: 'tfjs',
  async run(spec: TfjsTrialConfig, params: Params, ctx: TrialContext): Promise<TrialOutcome> {
    const { family, params: own } = familyOfTrial(spec, params);
    const known = VALIDATION_METRICS[spec.task];
    if (ctx.objectiveMetric && !known.includes(ctx.objectiveMetric)) {
      throw new Error(`objective metric '${ctx.objectiveMetric}' is not reported by a tfjs ${spec.task} trial (${known.join(', ')})`);
    }
    const backend = await initTfjsBackend();
    const data = prepareData(await loadDataset(spec.dataset.path), spec);
    const prep = data.preprocessing;
    const outputSize = prep.task === 'classification' ? prep.classes!.length : 1;
    const shape = { task: prep.task, inputSize: prep.inputSize, outputSize, ...(spec.dataset.shape ? { inputShape: spec.dataset.shape } : {}) };
    const earlyStopping = earlyStoppingOf(spec);
    const fitted = await family.fit(
      own,
      data,
      shape,
      { epochs: spec.epochs, batchSize: spec.batchSize, seed: ctx.seed, ...(earlyStopping ? { earlyStopping } : {}) },
      ctx,
    );
    try {
      const artifactFiles = await fitted.save(ctx.artifactDir);
      return { metrics: fitted.metrics, backend, artifactFiles, ...(fitted.pruned ? { pruned: true } : {}) };
    } finally {
      fitted.dispose();
    }
  },
};
