import type { CategoricalParam, FloatParam } from '../../../search/space/space.types';

// Ranges several families share in the `model: auto` space. A parameter that two families name
// must have the same range in both, so that it is one dimension active under either family.

/** Step size of every neural family under `model: auto`. */
export const AUTO_LEARNING_RATE: FloatParam = { type: 'float', low: 1e-3, high: 0.1, log: true };
/** Hidden activation of the MLP and the CNN under `model: auto`. */
export const AUTO_ACTIVATION: CategoricalParam = { type: 'categorical', values: ['relu', 'tanh', 'elu'] };
/** Dropout of the MLP and the CNN under `model: auto`. */
export const AUTO_DROPOUT: FloatParam = { type: 'float', low: 0, high: 0.4 };
/** L2 penalty of every neural family under `model: auto`. */
export const AUTO_L2: FloatParam = { type: 'float', low: 1e-6, high: 1e-2, log: true };
