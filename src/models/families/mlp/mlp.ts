import * as tf from '@tensorflow/tfjs';
import type { LearningTask } from '../../data/preprocessing';
import type { MlpHyperparameters } from './mlp-hyperparameters';

/** The sizes an MLP is built for. */
export interface MlpShape {
  task: LearningTask;
  /** Width of the encoded input. */
  inputSize: number;
  /** Number of classes (classification) or 1 (regression). */
  outputSize: number;
}

// Keeps derived seeds within the range tfjs' seeded generators (seedrandom alea) take exactly.
const seedFor = (seed: number, salt: number): number => ((seed >>> 0) * 31 + salt * 7919) % 2147483647;

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

/**
 * tfjs draws a dropout mask from a generator seeded afresh on every call, so a layer built with a
 * fixed seed drops the same units in every batch. Re-seeding the dropout layers before each batch
 * (from the trial's seeded stream) keeps masks varied and training replayable.
 */
export function reseedDropout(model: tf.LayersModel, seed: number): void {
  model.layers.forEach((layer, i) => {
    if (layer.getClassName() === 'Dropout') (layer as unknown as { seed: number }).seed = seedFor(seed, i);
  });
}

/** The optimizer named by the hyperparameters; sgd with momentum > 0 is classical momentum. */
export function createOptimizer(hp: MlpHyperparameters): tf.Optimizer {
  switch (hp.optimizer) {
    case 'adam':
      return tf.train.adam(hp.learning_rate);
    case 'sgd':
      return hp.momentum > 0 ? tf.train.momentum(hp.learning_rate, hp.momentum) : tf.train.sgd(hp.learning_rate);
    case 'rmsprop':
      return tf.train.rmsprop(hp.learning_rate, 0.9, hp.momentum);
  }
}
