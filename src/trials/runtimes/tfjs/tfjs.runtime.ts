import type { Params } from '../../../search/space/space.types';
import { columnIndex, CsvTable, readCsvTable } from '../../datasets/csv-table';
import { holdoutSplit } from '../../datasets/holdout-split';
import {
  encodeClassLabels,
  encodeFeatures,
  fitPreprocessing,
  PreprocessingState,
  readRegressionTargets,
  scaleTargets,
} from '../../datasets/preprocessing';
import type { TrialContext, TrialOutcome, TrialRuntime } from '../runtime.types';
import { initTfjsBackend } from './backend';
import { buildMlp, createOptimizer } from './mlp';
import { saveTrainedModel } from './model-artifact';
import { trainModel, TrainingSplit, ValidationSplit } from './train';
import { resolveMlpHyperparameters, TFJS_METRICS, TfjsTrialSpec } from './tfjs-trial.types';

// Parsed datasets of this thread by path: every trial of an experiment reads the same file.
const tables = new Map<string, Promise<CsvTable>>();

/** Reads a dataset once per thread (a failed read is not cached). */
export function loadDataset(file: string): Promise<CsvTable> {
  let table = tables.get(file);
  if (!table) {
    table = readCsvTable(file);
    tables.set(file, table);
    table.catch(() => tables.delete(file));
  }
  return table;
}

/** The encoded splits of a dataset and the preprocessing fitted on its training part. */
export interface PreparedData {
  preprocessing: PreprocessingState;
  train: TrainingSplit;
  validation: ValidationSplit;
}

/**
 * Splits a table by the spec's seeded hold-out (stratified by class for classification), fits the
 * preprocessing on the training part only, and encodes both parts.
 */
export function prepareData(table: CsvTable, spec: Pick<TfjsTrialSpec, 'task' | 'dataset'>): PreparedData {
  const { target, validation } = spec.dataset;
  const t = columnIndex(table, target);
  const strata = spec.task === 'classification' ? table.rows.map((r) => String(r[t])) : undefined;
  const split = holdoutSplit(table.rows.length, { ...validation, strata });
  const preprocessing = fitPreprocessing(table, split.train, { task: spec.task, target });
  const xTrain = encodeFeatures(preprocessing, table, split.train);
  const xVal = encodeFeatures(preprocessing, table, split.validation);
  let yTrain: Float32Array;
  const val: ValidationSplit = { x: xVal, n: split.validation.length };
  if (spec.task === 'classification') {
    const k = preprocessing.classes!.length;
    const labels = encodeClassLabels(preprocessing, table, split.train);
    yTrain = new Float32Array(labels.length * k);
    labels.forEach((c, i) => (yTrain[i * k + c] = 1));
    val.labels = encodeClassLabels(preprocessing, table, split.validation);
  } else {
    yTrain = scaleTargets(preprocessing, readRegressionTargets(preprocessing, table, split.train));
    val.targets = readRegressionTargets(preprocessing, table, split.validation);
  }
  return { preprocessing, train: { x: xTrain, y: yTrain, n: split.train.length }, validation: val };
}

/**
 * The built-in TensorFlow.js trial: trains an MLP on a CSV dataset and saves it under
 * `ctx.artifactDir`. Its final metrics are the validation metrics of the last epoch trained.
 */
export const tfjsRuntime: TrialRuntime<TfjsTrialSpec> = {
  kind: 'tfjs',
  async run(spec: TfjsTrialSpec, params: Params, ctx: TrialContext): Promise<TrialOutcome> {
    if (spec.model !== 'mlp') throw new Error(`unknown tfjs model '${spec.model}' (known: mlp)`);
    const hp = resolveMlpHyperparameters(params, spec);
    const known = TFJS_METRICS[spec.task];
    if (ctx.objectiveMetric && !known.includes(ctx.objectiveMetric)) {
      throw new Error(`objective metric '${ctx.objectiveMetric}' is not reported by a tfjs ${spec.task} trial (${known.join(', ')})`);
    }
    const backend = await initTfjsBackend();
    const data = prepareData(await loadDataset(spec.dataset.path), spec);
    const prep = data.preprocessing;
    const outputSize = prep.task === 'classification' ? prep.classes!.length : 1;
    const model = buildMlp(hp, { task: prep.task, inputSize: prep.inputSize, outputSize }, ctx.seed);
    const optimizer = createOptimizer(hp);
    try {
      const result = await trainModel(model, optimizer, prep, data.train, data.validation,
        { epochs: hp.epochs, batchSize: hp.batch_size, seed: ctx.seed }, ctx);
      const artifactFiles = await saveTrainedModel(model, prep, ctx.artifactDir);
      return { metrics: result.metrics, backend, artifactFiles, ...(result.pruned ? { pruned: true } : {}) };
    } finally {
      model.dispose();
      optimizer.dispose();
    }
  },
};
