import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { MODEL_JSON_FILE, PREPROCESSING_FILE, WEIGHTS_FILE } from '../../artifact/artifact-files';
import { serializePreprocessing } from '../../data/preprocessing';
import { metricsOfOutputs } from '../../training/train';
import type { ArtifactFormat, ModelFamily } from '../family.types';
import { FOREST_FORMAT, forestOutputs, ForestJson, growForest, loadForest, toRows } from './forest';
import { FOREST_HYPERPARAMETERS, resolveForestHyperparameters } from './forest-hyperparameters';

/** Index of each row's class in a one-hot matrix. */
function classIndices(y: Float32Array, n: number, k: number): number[] {
  return Array.from({ length: n }, (_, i) => {
    let best = 0;
    for (let j = 1; j < k; j++) if (y[i * k + j] > y[i * k + best]) best = j;
    return best;
  });
}

/**
 * A random forest from ml-random-forest (mljs): no epochs, so it trains in one step, reports its
 * validation metrics once (step 1) and ignores early stopping. Its artifact keeps the three usual
 * file names: `model.json` holds the trees, `weights.bin` is empty.
 */
export const forestFamily: ModelFamily = {
  name: 'forest',
  summary: 'Random forest of CART trees (ml-random-forest): bagged rows, a random share of columns per tree.',
  epochwise: false,
  hyperparameters: FOREST_HYPERPARAMETERS,
  choices: {},
  autoSpace: {
    n_estimators: { type: 'int', low: 20, high: 150, log: true },
    max_depth: { type: 'int', low: 3, high: 14 },
    max_features: { type: 'float', low: 0.3, high: 1 },
    min_samples_split: { type: 'int', low: 2, high: 10 },
  },
  unfit: () => undefined,
  async fit(params, data, shape, request, ctx) {
    const hp = resolveForestHyperparameters(params);
    const { train, validation, preprocessing } = data;
    if (ctx.signal.aborted) throw new Error('aborted');
    const y = shape.task === 'classification' ? classIndices(train.y, train.n, shape.outputSize) : Array.from(train.y);
    const forest = growForest(hp, shape.task, toRows(train.x, train.n, shape.inputSize), y, request.seed);
    const outputs = forestOutputs(forest, shape.task, toRows(validation.x, validation.n, shape.inputSize), shape.outputSize);
    const metrics = metricsOfOutputs(preprocessing, outputs, validation);
    await ctx.report(1, metrics);
    if (ctx.signal.aborted) throw new Error('aborted');
    const json: ForestJson = { format: FOREST_FORMAT, task: shape.task, outputSize: shape.outputSize, inputSize: shape.inputSize, forest: forest.toJSON() };
    return {
      metrics,
      epochs: 1,
      pruned: false,
      async save(dir) {
        await writeFile(path.join(dir, MODEL_JSON_FILE), JSON.stringify(json));
        await writeFile(path.join(dir, WEIGHTS_FILE), Buffer.alloc(0));
        await writeFile(path.join(dir, PREPROCESSING_FILE), serializePreprocessing(preprocessing));
        return [MODEL_JSON_FILE, WEIGHTS_FILE, PREPROCESSING_FILE];
      },
      dispose: () => undefined,
    };
  },
};

/** How a saved forest loads for serving. */
export const forestArtifact: ArtifactFormat = {
  format: FOREST_FORMAT,
  load(modelJson, preprocessing) {
    const json = modelJson as unknown as ForestJson;
    if (json.inputSize !== preprocessing.inputSize)
      throw new Error(`forest expects ${json.inputSize} inputs but preprocessing encodes ${preprocessing.inputSize}`);
    const forest = loadForest(json);
    return {
      predictEncoded: (x, n) => forestOutputs(forest, json.task, toRows(x, n, json.inputSize), json.outputSize),
      dispose: () => undefined,
    };
  },
};
