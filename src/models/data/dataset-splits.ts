import { columnIndex, CsvTable, readCsvTable } from './csv-table';
import { chooseColumns, IdColumnPolicy } from './column-selection';
import { holdoutSplit } from './holdout-split';
import {
  CategoricalImputation,
  encodeClassLabels,
  fitPreprocessing,
  LearningTask,
  NumericImputation,
  PreprocessingState,
  readRegressionTargets,
  scaleTargets,
} from './preprocessing';
import { encodeFeatures } from './row-encoding';

/** A seeded hold-out: the same fraction and seed give the same rows every time. */
export interface HoldoutSpec {
  fraction: number;
  seed: number;
}

/** A CSV dataset, which of its columns are features, how it is split and cleaned: what training and re-scoring a model both need. */
export interface DatasetSpec {
  /** Absolute path of a CSV file with a header row. */
  path: string;
  /** Name of the target column. */
  target: string;
  /** Hold-out validation, taken from the rows left after the test rows; `folds` asks for k-fold cross-validation instead. */
  validation: HoldoutSpec & { folds?: number };
  /** Rows held out of every trial, scored once after the experiment (the model it ends with, or its `topK` best trials). */
  test?: HoldoutSpec & { topK?: number };
  /** Only these feature columns. */
  features?: string[];
  /** Never these columns. */
  exclude?: string[];
  /** ID-like columns: dropped with the reason recorded (default), refused, or kept. */
  idColumns?: IdColumnPolicy;
  /** How missing values are filled, at training and at serving alike. */
  impute?: { numeric?: NumericImputation; categorical?: CategoricalImputation };
  /** Most categories a column keeps; rarer ones share an "other" bucket. */
  maxCategories?: number;
  /** Classification: `balanced` weighs each class's loss by `n / (k · n_class)`. */
  classWeights?: 'none' | 'balanced';
}

/** A learning problem on a dataset: its task and where the data is. */
export interface ModelDataSpec {
  task: LearningTask;
  dataset: DatasetSpec;
}

/** Encoded training rows: `x` is `n × inputSize`, `y` is `n × outputSize` (one-hot scaled by the class weight, or the scaled target). */
export interface TrainingSplit {
  x: Float32Array;
  y: Float32Array;
  n: number;
}

/** Encoded validation (or test) rows with their truth: class indices, or targets in their own units. */
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

/** Row indices of a dataset's three parts, each ascending; `test` is empty without `dataset.test`. */
export interface DatasetRows {
  train: number[];
  validation: number[];
  test: number[];
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

/** A seeded hold-out of some of a table's rows, stratified by class for classification. */
function holdOut(table: CsvTable, spec: ModelDataSpec, rows: readonly number[], split: HoldoutSpec): { kept: number[]; held: number[] } {
  const t = columnIndex(table, spec.dataset.target);
  const strata = spec.task === 'classification' ? rows.map((r) => String(table.rows[r][t])) : undefined;
  const parts = holdoutSplit(rows.length, { fraction: split.fraction, seed: split.seed, strata });
  return { kept: parts.train.map((i) => rows[i]), held: parts.validation.map((i) => rows[i]) };
}

/**
 * The seeded split of a table's rows: first the test rows (when `dataset.test` is set), then the
 * validation rows from what is left; stratified by class for classification. The one split that
 * training, re-scoring and test scoring all use, so no trial ever sees a test row.
 */
export function splitRows(table: CsvTable, spec: ModelDataSpec): DatasetRows {
  const all = table.rows.map((_, i) => i);
  const { kept, held: test } = spec.dataset.test ? holdOut(table, spec, all, spec.dataset.test) : { kept: all, held: [] };
  const { kept: train, held: validation } = holdOut(table, spec, kept, spec.dataset.validation);
  return { train, validation, test };
}

/** Every row but the test rows, ascending: what trials may learn from (the folds of cross-validation, its refit). */
export function nonTestRows(table: CsvTable, spec: ModelDataSpec): number[] {
  const all = table.rows.map((_, i) => i);
  return spec.dataset.test ? holdOut(table, spec, all, spec.dataset.test).kept : all;
}

/** Encodes rows of a table for validation with a fitted preprocessing. */
export function encodeValidation(prep: PreprocessingState, table: CsvTable, rows: readonly number[]): ValidationSplit {
  const split: ValidationSplit = { x: encodeFeatures(prep, table, rows), n: rows.length };
  if (prep.task === 'classification') split.labels = encodeClassLabels(prep, table, rows);
  else split.targets = readRegressionTargets(prep, table, rows);
  return split;
}

/** Fits the preprocessing on some training rows of a table, with the dataset's column choice, imputation, caps and class weights. */
export function fitOn(table: CsvTable, spec: ModelDataSpec, trainRows: readonly number[]): PreprocessingState {
  const d = spec.dataset;
  const { columns, dropped } = chooseColumns(table, { target: d.target, features: d.features, exclude: d.exclude, idColumns: d.idColumns });
  return fitPreprocessing(table, trainRows, {
    task: spec.task,
    target: d.target,
    columns,
    dropped,
    impute: d.impute,
    maxCategories: d.maxCategories,
    classWeights: d.classWeights,
  });
}

/** Encodes training rows: features, and one-hot labels scaled by their class weight (a weighted cross-entropy) or scaled targets. */
export function encodeTraining(prep: PreprocessingState, table: CsvTable, rows: readonly number[]): TrainingSplit {
  const x = encodeFeatures(prep, table, rows);
  let y: Float32Array;
  if (prep.task === 'classification') {
    const k = prep.classes!.length;
    const labels = encodeClassLabels(prep, table, rows);
    y = new Float32Array(labels.length * k);
    labels.forEach((c, i) => (y[i * k + c] = prep.classWeights?.[c] ?? 1));
  } else {
    y = scaleTargets(prep, readRegressionTargets(prep, table, rows));
  }
  return { x, y, n: rows.length };
}

/** Splits a table, fits the preprocessing on the training part only, and encodes training and validation rows (never the test rows). */
export function prepareData(table: CsvTable, spec: ModelDataSpec): PreparedData {
  const split = splitRows(table, spec);
  const preprocessing = fitOn(table, spec, split.train);
  return { preprocessing, train: encodeTraining(preprocessing, table, split.train), validation: encodeValidation(preprocessing, table, split.validation) };
}

/** The validation split of a dataset encoded with a stored preprocessing: the rows a trial was scored on. */
export async function validationSplitOf(spec: ModelDataSpec, prep: PreprocessingState): Promise<ValidationSplit> {
  const table = await readCsvTable(spec.dataset.path);
  return encodeValidation(prep, table, splitRows(table, spec).validation);
}

/** The test rows of a dataset encoded with a stored preprocessing; undefined when the dataset holds none out. */
export async function testSplitOf(spec: ModelDataSpec, prep: PreprocessingState): Promise<ValidationSplit | undefined> {
  if (!spec.dataset.test) return undefined;
  const table = await readCsvTable(spec.dataset.path);
  return encodeValidation(prep, table, splitRows(table, spec).test);
}

/** The hold-out validation split when the config says nothing: a fifth of the rows, seed 1. */
export const DEFAULT_VALIDATION = { fraction: 0.2, seed: 1 } as const;

/** The largest validation fraction a config may ask for (something must be left to train on). */
export const MAX_VALIDATION_FRACTION = 0.9;

/** The largest test fraction a config may ask for. */
export const MAX_TEST_FRACTION = 0.5;

/** The most trials `dataset.test.topK` may ask to be scored on the test rows. */
export const MAX_TEST_TOP_K = 20;

/** Cross-validation folds a config may ask for. */
export const FOLD_LIMITS = { min: 2, max: 20 } as const;
