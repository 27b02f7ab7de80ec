import { columnIndex, CsvTable, readCsvTable } from './csv-table';
import { HoldoutSplit, holdoutSplit } from './holdout-split';
import { encodeClassLabels, encodeFeatures, fitPreprocessing, LearningTask, PreprocessingState, readRegressionTargets, scaleTargets } from './preprocessing';

/** A CSV dataset and how it is split: what training and re-scoring a model both need. */
export interface DatasetSpec {
  /** Absolute path of a CSV file with a header row. */
  path: string;
  /** Name of the target column. */
  target: string;
  /** Hold-out validation: the same fraction and seed give the same split every time. */
  validation: { fraction: number; seed: number };
}

/** A learning problem on a dataset: its task and where the data is. */
export interface ModelDataSpec {
  task: LearningTask;
  dataset: DatasetSpec;
}

/** Encoded training rows: `x` is `n × inputSize`, `y` is `n × outputSize` (one-hot, or the scaled target). */
export interface TrainingSplit {
  x: Float32Array;
  y: Float32Array;
  n: number;
}

/** Encoded validation rows with their truth: class indices, or targets in their own units. */
export interface ValidationSplit {
  x: Float32Array;
  n: number;
  labels?: Int32Array;
  targets?: Float64Array;
}

/** The encoded splits of a dataset and the preprocessing fitted on its training part. */
export interface PreparedData {
  preprocessing: PreprocessingState;
  train: TrainingSplit;
  validation: ValidationSplit;
}

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

/** The seeded hold-out of a table's rows, stratified by class for classification: the one split both training and re-scoring use. */
export function splitRows(table: CsvTable, spec: ModelDataSpec): HoldoutSplit {
  const t = columnIndex(table, spec.dataset.target);
  const strata = spec.task === 'classification' ? table.rows.map((r) => String(r[t])) : undefined;
  return holdoutSplit(table.rows.length, { ...spec.dataset.validation, strata });
}

/** Encodes rows of a table for validation with a fitted preprocessing. */
export function encodeValidation(prep: PreprocessingState, table: CsvTable, rows: readonly number[]): ValidationSplit {
  const split: ValidationSplit = { x: encodeFeatures(prep, table, rows), n: rows.length };
  if (prep.task === 'classification') split.labels = encodeClassLabels(prep, table, rows);
  else split.targets = readRegressionTargets(prep, table, rows);
  return split;
}

/** Splits a table, fits the preprocessing on the training part only, and encodes both parts. */
export function prepareData(table: CsvTable, spec: ModelDataSpec): PreparedData {
  const split = splitRows(table, spec);
  const preprocessing = fitPreprocessing(table, split.train, { task: spec.task, target: spec.dataset.target });
  const x = encodeFeatures(preprocessing, table, split.train);
  let y: Float32Array;
  if (spec.task === 'classification') {
    const k = preprocessing.classes!.length;
    const labels = encodeClassLabels(preprocessing, table, split.train);
    y = new Float32Array(labels.length * k);
    labels.forEach((c, i) => (y[i * k + c] = 1));
  } else {
    y = scaleTargets(preprocessing, readRegressionTargets(preprocessing, table, split.train));
  }
  return { preprocessing, train: { x, y, n: split.train.length }, validation: encodeValidation(preprocessing, table, split.validation) };
}

/** The validation split of a dataset encoded with a stored preprocessing: the rows a trial was scored on. */
export async function validationSplitOf(spec: ModelDataSpec, prep: PreprocessingState): Promise<ValidationSplit> {
  const table = await readCsvTable(spec.dataset.path);
  return encodeValidation(prep, table, splitRows(table, spec).validation);
}

/** The hold-out validation split when the config says nothing: a fifth of the rows, seed 1. */
export const DEFAULT_VALIDATION = { fraction: 0.2, seed: 1 } as const;

/** The largest validation fraction a config may ask for (something must be left to train on). */
export const MAX_VALIDATION_FRACTION = 0.9;
