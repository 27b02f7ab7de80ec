import * as tf from '@tensorflow/tfjs';
import type { ModelShape } from '../family.types';
import { seedFor } from '../shared/seeds';
import type { MlpHyperparameters } from './mlp-hyperparameters';

/** The sizes an MLP is built for. */
export type MlpShape = Pick<ModelShape, 'task' | 'inputSize' | 'outputSize'>;

/**
 * Builds the MLP: `hidden_layers` dense layers of `hidden_units` with `activation`, each followed by
 * dropout when `dropout > 0`; an L2 kernel penalty on every dense layer when `l2 > 0`; a softmax
 * (classification) or linear (regression) output. Initialisers are seeded from `seed` (one seed per
 * layer), so the same seed builds the same weights.
 */
export function buildMlp(hp: MlpHyperparameters, shape: MlpShape, seed: number): tf.Sequential {
  const model = tf.sequential();
  const kernelRegularizer = hp.l2 > 0 ? tf.regularizers.l2({ l2: hp.l2 }) : undefined;
  for (let i = 0; i < hp.hidden_layers; i++) {
    model.add(
      tf.layers.dense({
        units: hp.hidden_units,
        activation: hp.activation,
        kernelInitializer: tf.initializers.glorotUniform({ seed: seedFor(seed, i + 1) }),
        biasInitializer: 'zeros',
        kernelRegularizer,
        ...(i === 0 ? { inputShape: [shape.inputSize] } : {}),
      }),
    );
    if (hp.dropout > 0) model.add(tf.layers.dropout({ rate: hp.dropout, seed: seedFor(seed, 1000 + i) }));
  }
  model.add(
    tf.layers.dense({
      units: shape.outputSize,
      activation: shape.task === 'classification' ? 'softmax' : 'linear',
      kernelInitializer: tf.initializers.glorotUniform({ seed: seedFor(seed, 999) }),
      biasInitializer: 'zeros',
      kernelRegularizer,
      ...(hp.hidden_layers === 0 ? { inputShape: [shape.inputSize] } : {}),
    }),
  );
  return model;
}

export { reseedDropout } from '../shared/seeds';
export { createOptimizer } from '../shared/optimizer';
