import type { Params } from '../../../search/space/space.types';
import type { HyperparameterInfo } from '../family.types';
import { MLP_ACTIVATIONS, MlpActivation } from '../mlp/mlp-hyperparameters';
import { OPTIMIZER_HYPERPARAMETERS, OptimizerHyperparameters, resolveOptimizerHyperparameters } from '../shared/optimizer';
import { choice, isInt, num, refuseUnknown } from '../shared/param-readers';

/** Default number of convolution blocks (each a convolution then, where the input is large enough, a 2× max-pool). */
export const DEFAULT_CONV_LAYERS = 1;
/** Default filters of the first convolution (doubled in each further block). */
export const DEFAULT_FILTERS = 8;
/** Default kernel width (and height, in 2-D). */
export const DEFAULT_KERNEL_SIZE = 3;
/** Default width of the dense layer after the convolutions. */
export const DEFAULT_DENSE_UNITS = 64;
/** Default activation of the convolutions and the dense layer. */
export const DEFAULT_CNN_ACTIVATION: MlpActivation = 'relu';
/** Default dropout before the output layer. */
export const DEFAULT_CNN_DROPOUT = 0;
/** Default L2 penalty on every kernel. */
export const DEFAULT_CNN_L2 = 0;

/** The CNN's hyperparameters, resolved. */
export interface CnnHyperparameters extends OptimizerHyperparameters {
  conv_layers: number;
  filters: number;
  kernel_size: number;
  dense_units: number;
  activation: MlpActivation;
  dropout: number;
  l2: number;
}

/** What the CNN tunes. */
export const CNN_HYPERPARAMETERS: Readonly<Record<keyof CnnHyperparameters, HyperparameterInfo>> = {
  ...OPTIMIZER_HYPERPARAMETERS,
  conv_layers: { description: 'Convolution blocks (integer 1–4).', default: DEFAULT_CONV_LAYERS },
  filters: { description: 'Filters of the first convolution, doubled per block (integer ≥ 1).', default: DEFAULT_FILTERS },
  kernel_size: { description: 'Kernel size (integer ≥ 1).', default: DEFAULT_KERNEL_SIZE },
  dense_units: { description: 'Units of the dense layer after the convolutions (integer ≥ 1).', default: DEFAULT_DENSE_UNITS },
  activation: { description: `Activation: ${MLP_ACTIVATIONS.join(' | ')}.`, default: DEFAULT_CNN_ACTIVATION },
  dropout: { description: 'Dropout rate in [0, 1) before the output layer.', default: DEFAULT_CNN_DROPOUT },
  l2: { description: 'L2 penalty (≥ 0) on every kernel.', default: DEFAULT_CNN_L2 },
};

/** Resolves the CNN's parameters (params, then spec, then defaults). */
export function resolveCnnHyperparameters(params: Params, spec: { epochs: number; batchSize: number }): CnnHyperparameters {
  refuseUnknown('cnn', params, CNN_HYPERPARAMETERS);
  return {
    ...resolveOptimizerHyperparameters(params, spec),
    conv_layers: num(params, 'conv_layers', DEFAULT_CONV_LAYERS, (v) => isInt(v) && v >= 1 && v <= 4, 'an integer in [1, 4]'),
    filters: num(params, 'filters', DEFAULT_FILTERS, (v) => isInt(v) && v >= 1, 'an integer ≥ 1'),
    kernel_size: num(params, 'kernel_size', DEFAULT_KERNEL_SIZE, (v) => isInt(v) && v >= 1, 'an integer ≥ 1'),
    dense_units: num(params, 'dense_units', DEFAULT_DENSE_UNITS, (v) => isInt(v) && v >= 1, 'an integer ≥ 1'),
    activation: choice(params, 'activation', DEFAULT_CNN_ACTIVATION, MLP_ACTIVATIONS),
    dropout: num(params, 'dropout', DEFAULT_CNN_DROPOUT, (v) => v >= 0 && v < 1, 'a number in [0, 1)'),
    l2: num(params, 'l2', DEFAULT_CNN_L2, (v) => v >= 0, 'a number ≥ 0'),
  };
}
