import * as tf from '@tensorflow/tfjs';
import type { Params } from '../../../search/space/space.types';
import type { HyperparameterInfo } from '../family.types';
import { DEFAULT_BATCH_SIZE, DEFAULT_EPOCHS } from '../../training/training-defaults';
import { choice, num } from './param-readers';

/** Optimizers the neural families can be trained with. */
export const OPTIMIZERS = ['adam', 'sgd', 'rmsprop'] as const;
/** One of {@link OPTIMIZERS}. */
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** Default learning rate (higher than Adam's usual 1e-3: the built-in datasets are small). */
export const DEFAULT_LEARNING_RATE = 0.01;
/** Default optimizer. */
export const DEFAULT_OPTIMIZER: OptimizerName = 'adam';
/** Default momentum of sgd (classical momentum) and rmsprop. */
export const DEFAULT_MOMENTUM = 0;

/** How every neural family is trained. */
export interface OptimizerHyperparameters {
  learning_rate: number;
  optimizer: OptimizerName;
  momentum: number;
  batch_size: number;
  epochs: number;
}

/** The tunable parameters every neural family shares. `epochs` and `batch_size` default to the spec's `epochs` and `batchSize`. */
export const OPTIMIZER_HYPERPARAMETERS: Readonly<Record<keyof OptimizerHyperparameters, HyperparameterInfo>> = {
  learning_rate: { description: 'Optimizer step size (> 0).', default: DEFAULT_LEARNING_RATE },
  optimizer: { description: `Optimizer: ${OPTIMIZERS.join(' | ')}.`, default: DEFAULT_OPTIMIZER },
  momentum: { description: 'Momentum in [0, 1) for sgd and rmsprop; ignored by adam.', default: DEFAULT_MOMENTUM },
  batch_size: { description: "Mini-batch size (integer ≥ 1); overrides the spec's batchSize.", default: DEFAULT_BATCH_SIZE },
  epochs: { description: "Passes over the training split (integer ≥ 1); overrides the spec's epochs.", default: DEFAULT_EPOCHS },
};

/** Reads the shared training parameters: a value in `params` wins, then the spec, then the defaults. */
export function resolveOptimizerHyperparameters(params: Params, spec: { epochs: number; batchSize: number }): OptimizerHyperparameters {
  const int = (v: number): boolean => Number.isInteger(v);
  return {
    learning_rate: num(params, 'learning_rate', DEFAULT_LEARNING_RATE, (v) => v > 0, 'a number > 0'),
    optimizer: choice(params, 'optimizer', DEFAULT_OPTIMIZER, OPTIMIZERS),
    momentum: num(params, 'momentum', DEFAULT_MOMENTUM, (v) => v >= 0 && v < 1, 'a number in [0, 1)'),
    batch_size: num(params, 'batch_size', spec.batchSize ?? DEFAULT_BATCH_SIZE, (v) => int(v) && v >= 1, 'an integer ≥ 1'),
    epochs: num(params, 'epochs', spec.epochs ?? DEFAULT_EPOCHS, (v) => int(v) && v >= 1, 'an integer ≥ 1'),
  };
}

/** The optimizer named by the hyperparameters; sgd with momentum > 0 is classical momentum. */
export function createOptimizer(hp: Pick<OptimizerHyperparameters, 'optimizer' | 'learning_rate' | 'momentum'>): tf.Optimizer {
  switch (hp.optimizer) {
    case 'adam':
      return tf.train.adam(hp.learning_rate);
    case 'sgd':
      return hp.momentum > 0 ? tf.train.momentum(hp.learning_rate, hp.momentum) : tf.train.sgd(hp.learning_rate);
    case 'rmsprop':
      return tf.train.rmsprop(hp.learning_rate, 0.9, hp.momentum);
  }
}
