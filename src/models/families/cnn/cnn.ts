import * as tf from '@tensorflow/tfjs';
import type { ModelShape } from '../family.types';
import { seedFor } from '../shared/seeds';
import type { CnnHyperparameters } from './cnn-hyperparameters';

/**
 * Builds the CNN: a reshape of the flat encoded row to `inputShape`, `conv_layers` blocks of a
 * same-padded convolution (filters doubling per block) followed by a 2× max-pool while the
 * spatial size allows, then flatten, a dense layer, optional dropout and the output layer.
 * 1-D convolutions for `[length, channels]`, 2-D for `[height, width, channels]`.
 *
 * The convolutions are written as 3-D ones over a depth of 1 (and, for sequences, a height of 1):
 * the wasm backend has no `Conv2DBackpropFilter` kernel, so a `conv2d` layer cannot be trained
 * on it, while `Conv3D` and both of its gradients are there. The result is the same convolution.
 */
export function buildCnn(hp: CnnHyperparameters, shape: ModelShape, seed: number): tf.Sequential {
  const inputShape = [...shape.inputShape!];
  const size = inputShape.reduce((a, b) => a * b, 1);
  if (size !== shape.inputSize) {
    throw new Error(`dataset.shape [${inputShape.join(', ')}] holds ${size} values but the rows encode ${shape.inputSize} inputs`);
  }
  const twoD = inputShape.length === 3;
  const kernelRegularizer = hp.l2 > 0 ? tf.regularizers.l2({ l2: hp.l2 }) : undefined;
  const model = tf.sequential();
  const volume = twoD ? [1, ...inputShape] : [1, 1, ...inputShape];
  model.add(tf.layers.reshape({ targetShape: volume, inputShape: [shape.inputSize] }));
  const window = (k: number): [number, number, number] => (twoD ? [1, k, k] : [1, 1, k]);
  let spatial = Math.min(...inputShape.slice(0, -1));
  for (let i = 0; i < hp.conv_layers; i++) {
    const conv = {
      filters: hp.filters * 2 ** i,
      kernelSize: window(hp.kernel_size),
      padding: 'same' as const,
      activation: hp.activation,
      kernelInitializer: tf.initializers.heUniform({ seed: seedFor(seed, i + 1) }),
      kernelRegularizer,
    };
    model.add(tf.layers.conv3d(conv));
    if (spatial >= 4) {
      model.add(tf.layers.maxPooling3d({ poolSize: window(2) }));
      spatial = Math.floor(spatial / 2);
    }
  }
  model.add(tf.layers.flatten());
  model.add(
    tf.layers.dense({
      units: hp.dense_units,
      activation: hp.activation,
      kernelInitializer: tf.initializers.glorotUniform({ seed: seedFor(seed, 100) }),
      kernelRegularizer,
    }),
  );
  if (hp.dropout > 0) model.add(tf.layers.dropout({ rate: hp.dropout, seed: seedFor(seed, 1000) }));
  model.add(
    tf.layers.dense({
      units: shape.outputSize,
      activation: shape.task === 'classification' ? 'softmax' : 'linear',
      kernelInitializer: tf.initializers.glorotUniform({ seed: seedFor(seed, 999) }),
      kernelRegularizer,
    }),
  );
  return model;
}
