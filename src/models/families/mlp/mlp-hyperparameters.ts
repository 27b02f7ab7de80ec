import type { Params, ParamValue } from '../../../search/space/space.types';
import { DEFAULT_BATCH_SIZE, DEFAULT_EPOCHS } from '../../training/training-defaults';

/** Optimizers the MLP can be trained with. */
export const MLP_OPTIMIZERS = ['adam', 'sgd', 'rmsprop'] as const;
/** One of {@link MLP_OPTIMIZERS}. */
export type MlpOptimizer = (typeof MLP_OPTIMIZERS)[number];

/** Hidden-layer activations the MLP accepts (TensorFlow.js layer activation names). */
export const MLP_ACTIVATIONS = ['relu', 'tanh', 'elu', 'sigmoid', 'selu', 'relu6', 'softplus', 'softsign', 'swish', 'gelu'] as const;
/** One of {@link MLP_ACTIVATIONS}. */
export type MlpActivation = (typeof MLP_ACTIVATIONS)[number];

/** Default learning rate (higher than Adam's usual 1e-3: the built-in datasets are small). */
export const DEFAULT_LEARNING_RATE = 0.01;
/** Default optimizer. */
export const DEFAULT_OPTIMIZER: MlpOptimizer = 'adam';
/** Default momentum of sgd (classical momentum) and rmsprop. */
export const DEFAULT_MOMENTUM = 0;
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
export interface MlpHyperparameters {
  learning_rate: number;
  optimizer: MlpOptimizer;
  momentum: number;
  batch_size: number;
  epochs: number;
  hidden_layers: number;
  hidden_units: number;
  activation: MlpActivation;
  dropout: number;
  l2: number;
}

/** Description and default of one tunable parameter of a built-in model. */
export interface HyperparameterInfo {
  description: string;
  default: ParamValue;
}

/**
 * The parameters the built-in MLP understands, by name. The config validator rejects a search-space
 * parameter of a `tfjs` trial that is not listed here. `epochs` and `batch_size` default to the
 * spec's `epochs` and `batchSize` when not tuned.
 */
export const MLP_HYPERPARAMETERS: Readonly<Record<keyof MlpHyperparameters, HyperparameterInfo>> = {
  learning_rate: { description: 'Optimizer step size (> 0).', default: DEFAULT_LEARNING_RATE },
  optimizer: { description: `Optimizer: ${MLP_OPTIMIZERS.join(' | ')}.`, default: DEFAULT_OPTIMIZER },
  momentum: { description: 'Momentum in [0, 1) for sgd and rmsprop; ignored by adam.', default: DEFAULT_MOMENTUM },
  batch_size: { description: "Mini-batch size (integer ≥ 1); overrides the spec's batchSize.", default: DEFAULT_BATCH_SIZE },
  epochs: { description: "Passes over the training split (integer ≥ 1); overrides the spec's epochs.", default: DEFAULT_EPOCHS },
  hidden_layers: { description: 'Number of hidden dense layers (integer ≥ 0).', default: DEFAULT_HIDDEN_LAYERS },
  hidden_units: { description: 'Units per hidden layer (integer ≥ 1).', default: DEFAULT_HIDDEN_UNITS },
  activation: { description: `Hidden activation: ${MLP_ACTIVATIONS.join(' | ')}.`, default: DEFAULT_ACTIVATION },
  dropout: { description: 'Dropout rate in [0, 1) after each hidden layer.', default: DEFAULT_DROPOUT },
  l2: { description: 'L2 penalty (≥ 0) on every dense kernel.', default: DEFAULT_L2 },
};

function num(params: Params, name: string, fallback: number, ok: (v: number) => boolean, rule: string): number {
  const v = params[name] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) {
    throw new Error(`parameter ${name}: expected ${rule}, got ${JSON.stringify(v)}`);
  }
  return v;
}

function choice<T extends string>(params: Params, name: string, fallback: T, allowed: readonly T[]): T {
  const v = params[name] ?? fallback;
  if (!allowed.includes(v as T)) throw new Error(`parameter ${name}: expected one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
  return v as T;
}

/**
 * Resolves a trial's hyperparameters: a value in `params` wins, then the spec (`epochs`,
 * `batchSize`), then the defaults above. Throws on an unknown name or a value out of range.
 */
export function resolveMlpHyperparameters(params: Params, spec: { epochs: number; batchSize: number }): MlpHyperparameters {
  const unknown = Object.keys(params).filter((k) => !(k in MLP_HYPERPARAMETERS));
  if (unknown.length > 0) {
    throw new Error(`unknown parameter(s) of the mlp model: ${unknown.join(', ')} (known: ${Object.keys(MLP_HYPERPARAMETERS).join(', ')})`);
  }
  const int = (v: number): boolean => Number.isInteger(v);
  return {
    learning_rate: num(params, 'learning_rate', DEFAULT_LEARNING_RATE, (v) => v > 0, 'a number > 0'),
    optimizer: choice(params, 'optimizer', DEFAULT_OPTIMIZER, MLP_OPTIMIZERS),
    momentum: num(params, 'momentum', DEFAULT_MOMENTUM, (v) => v >= 0 && v < 1, 'a number in [0, 1)'),
    batch_size: num(params, 'batch_size', spec.batchSize ?? DEFAULT_BATCH_SIZE, (v) => int(v) && v >= 1, 'an integer ≥ 1'),
    epochs: num(params, 'epochs', spec.epochs ?? DEFAULT_EPOCHS, (v) => int(v) && v >= 1, 'an integer ≥ 1'),
    hidden_layers: num(params, 'hidden_layers', DEFAULT_HIDDEN_LAYERS, (v) => int(v) && v >= 0, 'an integer ≥ 0'),
    hidden_units: num(params, 'hidden_units', DEFAULT_HIDDEN_UNITS, (v) => int(v) && v >= 1, 'an integer ≥ 1'),
    activation: choice(params, 'activation', DEFAULT_ACTIVATION, MLP_ACTIVATIONS),
    dropout: num(params, 'dropout', DEFAULT_DROPOUT, (v) => v >= 0 && v < 1, 'a number in [0, 1)'),
    l2: num(params, 'l2', DEFAULT_L2, (v) => v >= 0, 'a number ≥ 0'),
  };
}
