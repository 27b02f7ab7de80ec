import * as tf from '@tensorflow/tfjs';
import type { Params } from '../../../search/space/space.types';
import type { HyperparameterInfo, ModelFamily, ModelShape } from '../family.types';
import { AUTO_L2, AUTO_LEARNING_RATE } from '../shared/auto-ranges';
import { fitLayersModel } from '../shared/fit-layers-model';
import { OPTIMIZER_HYPERPARAMETERS, OPTIMIZERS, OptimizerHyperparameters, resolveOptimizerHyperparameters } from '../shared/optimizer';
import { num, refuseUnknown } from '../shared/param-readers';
import { seedFor } from '../shared/seeds';

/** Default L2 penalty of the linear model (a little ridge keeps collinear one-hot columns in check). */
export const DEFAULT_LINEAR_L2 = 1e-4;

/** The linear model's hyperparameters, resolved. */
export interface LinearHyperparameters extends OptimizerHyperparameters {
  l2: number;
}

/** What the linear model tunes. */
export const LINEAR_HYPERPARAMETERS: Readonly<Record<keyof LinearHyperparameters, HyperparameterInfo>> = {
  ...OPTIMIZER_HYPERPARAMETERS,
  l2: { description: 'L2 penalty (≥ 0) on the weights (ridge).', default: DEFAULT_LINEAR_L2 },
};

/** Resolves the linear model's parameters (params, then spec, then defaults). */
export function resolveLinearHyperparameters(params: Params, spec: { epochs: number; batchSize: number }): LinearHyperparameters {
  refuseUnknown('linear', params, LINEAR_HYPERPARAMETERS);
  return { ...resolveOptimizerHyperparameters(params, spec), l2: num(params, 'l2', DEFAULT_LINEAR_L2, (v) => v >= 0, 'a number ≥ 0') };
}

/** One dense layer: softmax over the classes (multinomial logistic regression) or a linear output (linear regression). */
export function buildLinear(hp: LinearHyperparameters, shape: ModelShape, seed: number): tf.Sequential {
  const model = tf.sequential();
  model.add(
    tf.layers.dense({
      units: shape.outputSize,
      inputShape: [shape.inputSize],
      activation: shape.task === 'classification' ? 'softmax' : 'linear',
      kernelInitializer: tf.initializers.glorotUniform({ seed: seedFor(seed, 1) }),
      kernelRegularizer: hp.l2 > 0 ? tf.regularizers.l2({ l2: hp.l2 }) : undefined,
    }),
  );
  return model;
}

/** Linear regression and (multinomial) logistic regression, fitted by the same gradient loop as the other neural families. */
export const linearFamily: ModelFamily = {
  name: 'linear',
  summary: 'Linear regression or multinomial logistic regression (one dense layer, L2 penalty).',
  epochwise: true,
  hyperparameters: LINEAR_HYPERPARAMETERS,
  choices: { optimizer: OPTIMIZERS },
  autoSpace: { learning_rate: AUTO_LEARNING_RATE, l2: AUTO_L2 },
  unfit: () => undefined,
  fit: (params, data, shape, request, ctx) => {
    const hp = resolveLinearHyperparameters(params, request);
    return fitLayersModel(buildLinear(hp, shape, request.seed), hp, data, request, ctx);
  },
};
