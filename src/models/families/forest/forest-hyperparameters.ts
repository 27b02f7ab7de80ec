import type { Params } from '../../../search/space/space.types';
import type { HyperparameterInfo } from '../family.types';
import { isInt, num, refuseUnknown } from '../shared/param-readers';

/** Default number of trees. */
export const DEFAULT_N_ESTIMATORS = 50;
/** Default depth limit of each tree. */
export const DEFAULT_MAX_DEPTH = 10;
/** Default fraction of the input columns each tree sees (random subspaces). */
export const DEFAULT_MAX_FEATURES = 0.7;
/** Default: a node with this many rows or fewer is a leaf. */
export const DEFAULT_MIN_SAMPLES_SPLIT = 3;

/** The random forest's hyperparameters, resolved. */
export interface ForestHyperparameters {
  n_estimators: number;
  max_depth: number;
  max_features: number;
  min_samples_split: number;
}

/** What the random forest tunes. */
export const FOREST_HYPERPARAMETERS: Readonly<Record<keyof ForestHyperparameters, HyperparameterInfo>> = {
  n_estimators: { description: 'Number of trees (integer 1–1000).', default: DEFAULT_N_ESTIMATORS },
  max_depth: { description: 'Depth limit of each tree (integer ≥ 1).', default: DEFAULT_MAX_DEPTH },
  max_features: { description: 'Fraction of input columns each tree is grown on, in (0, 1].', default: DEFAULT_MAX_FEATURES },
  min_samples_split: { description: 'A node with this many rows or fewer becomes a leaf (integer ≥ 2).', default: DEFAULT_MIN_SAMPLES_SPLIT },
};

/** Resolves the forest's parameters (params, then defaults); `epochs` and `batch_size` do not apply to it. */
export function resolveForestHyperparameters(params: Params): ForestHyperparameters {
  refuseUnknown('forest', params, FOREST_HYPERPARAMETERS);
  return {
    n_estimators: num(params, 'n_estimators', DEFAULT_N_ESTIMATORS, (v) => isInt(v) && v >= 1 && v <= 1000, 'an integer in [1, 1000]'),
    max_depth: num(params, 'max_depth', DEFAULT_MAX_DEPTH, (v) => isInt(v) && v >= 1, 'an integer ≥ 1'),
    max_features: num(params, 'max_features', DEFAULT_MAX_FEATURES, (v) => v > 0 && v <= 1, 'a number in (0, 1]'),
    min_samples_split: num(params, 'min_samples_split', DEFAULT_MIN_SAMPLES_SPLIT, (v) => isInt(v) && v >= 2, 'an integer ≥ 2'),
  };
}
