import { RandomForestClassifier, RandomForestRegression } from 'ml-random-forest';
import type { LearningTask } from '../../data/preprocessing';
import type { ForestHyperparameters } from './forest-hyperparameters';

/** The `format` of a forest's `model.json`. */
export const FOREST_FORMAT = 'hpo-random-forest';

/** A forest of either task. */
export type Forest = RandomForestClassifier | RandomForestRegression;

/** What a forest's `model.json` holds. */
export interface ForestJson {
  format: typeof FOREST_FORMAT;
  task: LearningTask;
  /** Number of classes (classification) or 1. */
  outputSize: number;
  /** Width of the encoded input. */
  inputSize: number;
  forest: ReturnType<RandomForestClassifier['toJSON']> | ReturnType<RandomForestRegression['toJSON']>;
}

/** Row-major `n × d` floats as the row arrays ml-random-forest takes. */
export function toRows(x: Float32Array, n: number, d: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from(x.subarray(i * d, (i + 1) * d)));
}

/**
 * Grows a forest (ml-random-forest, CART trees with bagged rows and a random subset of columns per
 * tree). `y` is class indices for classification, the scaled target for regression.
 */
export function growForest(hp: ForestHyperparameters, task: LearningTask, rows: number[][], y: number[], seed: number): Forest {
  const options = {
    nEstimators: hp.n_estimators,
    maxFeatures: hp.max_features,
    replacement: false,
    useSampleBagging: true,
    noOOB: true,
    seed: seed >>> 0 || 1,
    treeOptions: { maxDepth: hp.max_depth, minNumSamples: hp.min_samples_split },
  };
  const forest = task === 'classification' ? new RandomForestClassifier({ ...options, isClassifier: true }) : new RandomForestRegression(options);
  forest.train(rows, y);
  return forest;
}

/**
 * The forest's outputs in the layout of the neural families: per row, the share of trees voting for
 * each class (classification), or the mean of the trees (regression, scaled target).
 */
export function forestOutputs(forest: Forest, task: LearningTask, rows: number[][], outputSize: number): Float32Array {
  const n = rows.length;
  const out = new Float32Array(n * outputSize);
  if (n === 0) return out;
  if (task === 'regression') {
    forest.predict(rows).forEach((v, i) => (out[i] = v));
    return out;
  }
  const votes = forest.predictionValues(rows);
  const trees = votes.columns;
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < trees; t++) out[i * outputSize + votes.get(i, t)] += 1 / trees;
  }
  return out;
}

/** Rebuilds a forest from its saved JSON. */
export function loadForest(json: ForestJson): Forest {
  return json.task === 'classification'
    ? RandomForestClassifier.load(json.forest as ReturnType<RandomForestClassifier['toJSON']>)
    : RandomForestRegression.load(json.forest as ReturnType<RandomForestRegression['toJSON']>);
}
