import type { Params } from '../../../search/space/space.types';
import type { HyperparameterInfo } from '../family.types';
import { OPTIMIZER_HYPERPARAMETERS, OPTIMIZERS, OptimizerHyperparameters, OptimizerName, resolveOptimizerHyperparameters } from '../shared/optimizer';
import { choice, isInt, num, refuseUnknown } from '../shared/param-readers';

/** Optimizers the MLP can be trained with. */
export const MLP_OPTIMIZERS = OPTIMIZERS;
/** One of {@link MLP_OPTIMIZERS}. */
export type MlpOptimizer = OptimizerName;

/** Hidden-layer activations the MLP accepts (TensorFlow.js layer activation names). */
export const MLP_ACTIVATIONS = ['relu', 'tanh', 'elu', 'sigmoid', 'selu', 'relu6', 'softplus', 'softsign', 'swish', 'gelu'] as const;
/** One of {@link MLP_ACTIVATIONS}. */
export type MlpActivation = (typeof MLP_ACTIVATIONS)[number];

/** Default number of hidden dense layers. */
export const DEFAULT_HIDDEN_LAYERS = 2;
/** Default width of each hidden layer. */
export const DEFAULT_HIDDEN_UNITS = 64;
/** Default hidden activation. */
export const DEFAULT_ACTIVATION: MlpActivation = 'relu';
/** Default dropout rate after each hidden layer (0: none). */
export const DEFAULT_DROPOUT = 0;
/** Default L2 penalty on dense kernels (0: none). */
export const DEFAULT_L2 = 0;

/** The MLP's hyperparameters, every one resolved to a value. */
export interface MlpHyperparameters extends OptimizerHyperparameters {
  hidden_layers: number;
  hidden_units: number;
  activation: MlpActivation;
  dropout: number;
  l2: number;
}

/**
 * The parameters the built-in MLP understands, by name. The config validator rejects a search-space
 * parameter of a `tfjs` trial that is not listed here. `epochs` and `batch_size` default to the
 * spec's `epochs` and `batchSize` when not tuned.
 */
export const MLP_HYPERPARAMETERS: Readonly<Record<keyof MlpHyperparameters, HyperparameterInfo>> = {
  ...OPTIMIZER_HYPERPARAMETERS,
  hidden_layers: { description: 'Number of hidden dense layers (integer ≥ 0).', default: DEFAULT_HIDDEN_LAYERS },
  hidden_units: { description: 'Units per hidden layer (integer ≥ 1).', default: DEFAULT_HIDDEN_UNITS },
  activation: { description: `Hidden activation: ${MLP_ACTIVATIONS.join(' | ')}.`, default: DEFAULT_ACTIVATION },
  dropout: { description: 'Dropout rate in [0, 1) after each hidden layer.', default: DEFAULT_DROPOUT },
  l2: { description: 'L2 penalty (≥ 0) on every dense kernel.', default: DEFAULT_L2 },
};

/**
 * Resolves a trial's hyperparameters: a value in `params` wins, then the spec (`epochs`,
 * `batchSize`), then the defaults above. Throws on an unknown name or a value out of range.
 */
export function resolveMlpHyperparameters(params: Params, spec: { epochs: number; batchSize: number }): MlpHyperparameters {
  refuseUnknown('mlp', params, MLP_HYPERPARAMETERS);
  return {
    ...resolveOptimizerHyperparameters(params, spec),
    hidden_layers: num(params, 'hidden_layers', DEFAULT_HIDDEN_LAYERS, (v) => isInt(v) && v >= 0, 'an integer ≥ 0'),
    hidden_units: num(params, 'hidden_units', DEFAULT_HIDDEN_UNITS, (v) => isInt(v) && v >= 1, 'an integer ≥ 1'),
    activation: choice(params, 'activation', DEFAULT_ACTIVATION, MLP_ACTIVATIONS),
    dropout: num(params, 'dropout', DEFAULT_DROPOUT, (v) => v >= 0 && v < 1, 'a number in [0, 1)'),
    l2: num(params, 'l2', DEFAULT_L2, (v) => v >= 0, 'a number ≥ 0'),
  };
}
