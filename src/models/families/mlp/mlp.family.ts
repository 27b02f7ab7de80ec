import type { ModelFamily } from '../family.types';
import { AUTO_ACTIVATION, AUTO_DROPOUT, AUTO_L2, AUTO_LEARNING_RATE } from '../shared/auto-ranges';
import { fitLayersModel } from '../shared/fit-layers-model';
import { buildMlp } from './mlp';
import { MLP_ACTIVATIONS, MLP_HYPERPARAMETERS, MLP_OPTIMIZERS, resolveMlpHyperparameters } from './mlp-hyperparameters';

/** The dense multi-layer perceptron: the default model of a tfjs trial. */
export const mlpFamily: ModelFamily = {
  name: 'mlp',
  summary: 'Dense multi-layer perceptron (hidden layers, units, activation, dropout, L2).',
  epochwise: true,
  hyperparameters: MLP_HYPERPARAMETERS,
  choices: { optimizer: MLP_OPTIMIZERS, activation: MLP_ACTIVATIONS },
  autoSpace: {
    learning_rate: AUTO_LEARNING_RATE,
    hidden_layers: { type: 'int', low: 1, high: 3 },
    // Log-scaled: as many trials between 8 and 32 units as between 32 and 128. Small data sets are
    // fitted best by narrow nets (the diabetes example's best MLP has 17 units); a uniform range
    // put three quarters of the trials at 48 units or more (docs/BENCHMARKS.md).
    hidden_units: { type: 'int', low: 8, high: 128, log: true },
    activation: AUTO_ACTIVATION,
    dropout: AUTO_DROPOUT,
    l2: AUTO_L2,
  },
  unfit: () => undefined,
  fit: (params, data, shape, request, ctx) => {
    const hp = resolveMlpHyperparameters(params, request);
    return fitLayersModel(buildMlp(hp, shape, request.seed), hp, data, request, ctx);
  },
};
