import type { ModelFamily } from '../family.types';
import { MLP_ACTIVATIONS } from '../mlp/mlp-hyperparameters';
import { AUTO_ACTIVATION, AUTO_DROPOUT, AUTO_L2, AUTO_LEARNING_RATE } from '../shared/auto-ranges';
import { fitLayersModel } from '../shared/fit-layers-model';
import { OPTIMIZERS } from '../shared/optimizer';
import { buildCnn } from './cnn';
import { CNN_HYPERPARAMETERS, resolveCnnHyperparameters } from './cnn-hyperparameters';

/** Why a CNN cannot take inputs of this declared shape, or undefined when it can. */
function shapeProblem(inputShape: readonly number[] | undefined): string | undefined {
  if (!inputShape) return 'the cnn needs image- or sequence-shaped inputs: declare dataset.shape, e.g. [8, 8, 1] or [32, 1]';
  if (inputShape.length !== 2 && inputShape.length !== 3)
    return `dataset.shape must be [length, channels] or [height, width, channels], got [${inputShape.join(', ')}]`;
  return undefined;
}

/**
 * A small convolutional network over inputs declared image-shaped (`[height, width, channels]`,
 * 2-D convolutions) or sequence-shaped (`[length, channels]`, 1-D): the encoded row is reshaped
 * inside the model, so it reads the same flat rows (and serves the same way) as every family.
 */
export const cnnFamily: ModelFamily = {
  name: 'cnn',
  summary: 'Convolutional network for inputs declared by dataset.shape ([h, w, c]: 2-D, [length, c]: 1-D).',
  epochwise: true,
  hyperparameters: CNN_HYPERPARAMETERS,
  choices: { optimizer: OPTIMIZERS, activation: MLP_ACTIVATIONS },
  autoSpace: {
    learning_rate: AUTO_LEARNING_RATE,
    // Small ranges: on wasm a convolution's gradient is far dearer than a dense layer's.
    conv_layers: { type: 'int', low: 1, high: 2 },
    filters: { type: 'int', low: 4, high: 16, step: 4 },
    kernel_size: { type: 'categorical', values: [2, 3] },
    dense_units: { type: 'int', low: 16, high: 64, step: 16 },
    activation: AUTO_ACTIVATION,
    dropout: AUTO_DROPOUT,
    l2: AUTO_L2,
  },
  unfit: (shape) => shapeProblem(shape.inputShape),
  fit: (params, data, shape, request, ctx) => {
    const problem = shapeProblem(shape.inputShape);
    if (problem) throw new Error(problem);
    const hp = resolveCnnHyperparameters(params, request);
    return fitLayersModel(buildCnn(hp, shape, request.seed), hp, data, request, ctx);
  },
};
