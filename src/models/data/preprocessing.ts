import { columnIndex, CsvTable, isNumericText } from './csv-table';

/** What a model learns to predict: a class among a fixed list, or a real number. */
export type LearningTask = 'classification' | 'regression';

/** A numeric feature, standardised with the training mean and standard deviation. */
export interface NumericFeatureState {
  name: string;
  kind: 'numeric';
  mean: number;
  /** Population standard deviation of the training values; 1 where it was 0. */
  std: number;
}

/** A categorical feature, one-hot encoded over the categories seen in training (sorted). */
export interface CategoricalFeatureState {
  name: string;
  kind: 'categorical';
  categories: string[];
}

/** How one input column becomes model inputs. */
export type FeatureState = NumericFeatureState | CategoricalFeatureState;

/**
 * Fitted preprocessing, plain JSON (written as `preprocessing.json` beside a model). Everything in it
 * was computed from the training split only, so validation metrics are honest.
 */
export interface PreprocessingState {
  format: 'hpo-preprocessing';
  version: 1;
  task: LearningTask;
  /** Name of the target column. */
  target: string;
  /** Input columns in model order (the CSV order without the target). */
  features: FeatureState[];
  /** Width of the encoded input: one per numeric feature plus one per category. */
  inputSize: number;
  /** Classification: the class labels, sorted; a label is encoded as its index here. */
  classes?: string[];
  /** Regression: the model predicts `(y − mean) / std`; invert with {@link unscaleTargets}. */
  targetScaling?: { mean: number; std: number };
}

/** One raw input value, as in a CSV cell or a JSON request body; `null`/`undefined`/`''` is missing. */
export type RawValue = number | string | boolean | null | undefined;

/** One input row: raw values in feature order, or an object keyed by feature name. */
export type RawRow = readonly RawValue[] | Readonly<Record<string, RawValue>>;

/** Options of {@link fitPreprocessing}. */
export interface FitOptions {
  task: LearningTask;
  target: string;
  /** Regression only: standardise the target (default true); metrics must then use {@link unscaleTargets}. */
  standardizeTarget?: boolean;
}

function compareLabels(a: string, b: string): number {
  const na = Number(a),
    nb = Number(b);
  // Numeric class labels sort as numbers ('2' before '10'); others as text.
  if (isNumericText(a) && isNumericText(b)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

function meanStd(values: number[]): { mean: number; std: number } {
  if (values.length === 0) return { mean: 0, std: 1 };
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
  const std = Math.sqrt(variance);
  return { mean, std: std > 0 && Number.isFinite(std) ? std : 1 };
}

/** Fits feature encoders (and the target's encoding) on the given training rows of a table. */
export function fitPreprocessing(table: CsvTable, trainRows: readonly number[], options: FitOptions): PreprocessingState {
  const t = columnIndex(table, options.target);
  if (trainRows.length === 0) throw new Error(`${table.source}: no training rows to fit preprocessing on`);
  const features: FeatureState[] = [];
  let inputSize = 0;
  table.header.forEach((name, j) => {
    if (j === t) return;
    const present = trainRows.map((r) => table.rows[r][j]).filter((v) => v !== null);
    if (table.kinds[j] === 'numeric') {
      features.push({ name, kind: 'numeric', ...meanStd(present as number[]) });
      inputSize += 1;
    } else {
      const categories = [...new Set(present.map(String))].sort(compareLabels);
      features.push({ name, kind: 'categorical', categories });
      inputSize += categories.length;
    }
  });
  const state: PreprocessingState = {
    format: 'hpo-preprocessing',
    version: 1,
    task: options.task,
    target: options.target,
    features,
    inputSize,
  };
  const targets = trainRows.map((r) => {
    const v = table.rows[r][t];
    if (v === null) throw new Error(`${table.source}: line ${table.lines[r]}: empty target '${options.target}'`);
    return v;
  });
  if (options.task === 'classification') {
    state.classes = [...new Set(targets.map(String))].sort(compareLabels);
    if (state.classes.length < 2) throw new Error(`${table.source}: target '${options.target}' has fewer than 2 classes`);
  } else {
    if (table.kinds[t] !== 'numeric') {
      throw new Error(`${table.source}: regression target '${options.target}' is not numeric`);
    }
    state.targetScaling = options.standardizeTarget === false ? { mean: 0, std: 1 } : meanStd(targets as number[]);
  }
  return state;
}

function readNumber(value: RawValue, where: string): number | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && isNumericText(value.trim())) return Number(value.trim());
  throw new Error(`${where}: expected a number, got ${JSON.stringify(value)}`);
}

/**
 * Encodes raw rows into a row-major `rows.length × inputSize` matrix. Rows are arrays of raw values
 * in feature order or objects keyed by feature name (every feature present, no unknown names).
 * Numeric values may be numbers or numeric strings; a missing numeric value becomes the training
 * mean; an unknown or missing category encodes as all zeros.
 */
export function transformRows(state: PreprocessingState, rows: readonly RawRow[]): Float32Array {
  const names = state.features.map((f) => f.name);
  const known = new Set(names);
  const out = new Float32Array(rows.length * state.inputSize);
  rows.forEach((row, i) => {
    let values: readonly RawValue[];
    if (Array.isArray(row)) {
      if (row.length !== names.length) {
        throw new Error(`row ${i}: expected ${names.length} values (${names.join(', ')}), got ${row.length}`);
      }
      values = row;
    } else if (row !== null && typeof row === 'object') {
      const obj = row as Readonly<Record<string, RawValue>>;
      const unknown = Object.keys(obj).filter((k) => !known.has(k));
      if (unknown.length > 0) throw new Error(`row ${i}: unknown feature(s) ${unknown.join(', ')} (expected ${names.join(', ')})`);
      const missing = names.filter((n) => !(n in obj));
      if (missing.length > 0) throw new Error(`row ${i}: missing feature(s) ${missing.join(', ')}`);
      values = names.map((n) => obj[n]);
    } else {
      throw new Error(`row ${i}: expected an array of values or an object keyed by feature name`);
    }
    let k = i * state.inputSize;
    state.features.forEach((f, j) => {
      if (f.kind === 'numeric') {
        const v = readNumber(values[j], `row ${i}, feature '${f.name}'`);
        out[k++] = v === null ? 0 : (v - f.mean) / f.std;
      } else {
        const v = values[j];
        const c = v === null || v === undefined ? -1 : f.categories.indexOf(String(v));
        if (c >= 0) out[k + c] = 1;
        k += f.categories.length;
      }
    });
  });
  return out;
}

/**
 * The numeric inputs that do not survive preprocessing as finite 32-bit numbers (`1e308`, finite as
 * a double, standardises past float32's range), by row index and feature name, in row order. A
 * model fed such a value answers with a label and null probabilities; the caller refuses it instead.
 */
export function nonFiniteInputs(state: PreprocessingState, rows: readonly RawRow[]): { row: number; feature: string }[] {
  const encoded = transformRows(state, rows);
  const offsets: { at: number; feature: string }[] = [];
  let k = 0;
  for (const f of state.features) {
    if (f.kind === 'numeric') offsets.push({ at: k++, feature: f.name });
    else k += f.categories.length;
  }
  const out: { row: number; feature: string }[] = [];
  for (let i = 0; i < rows.length; i++) {
    for (const { at, feature } of offsets) if (!Number.isFinite(encoded[i * state.inputSize + at])) out.push({ row: i, feature });
  }
  return out;
}

/** Encodes the feature columns of the given table rows; see {@link transformRows}. */
export function encodeFeatures(state: PreprocessingState, table: CsvTable, rowIdx: readonly number[]): Float32Array {
  const t = columnIndex(table, state.target);
  return transformRows(
    state,
    rowIdx.map((r) => table.rows[r].filter((_, j) => j !== t)),
  );
}

/** Classification: the class index of each given row's target (an error for a class not seen in training). */
export function encodeClassLabels(state: PreprocessingState, table: CsvTable, rowIdx: readonly number[]): Int32Array {
  const classes = state.classes;
  if (!classes) throw new Error('encodeClassLabels needs a classification preprocessing');
  const t = columnIndex(table, state.target);
  const index = new Map(classes.map((c, i) => [c, i]));
  return Int32Array.from(rowIdx, (r) => {
    const c = index.get(String(table.rows[r][t]));
    if (c === undefined) {
      throw new Error(`${table.source}: line ${table.lines[r]}: class '${table.rows[r][t]}' not seen in training`);
    }
    return c;
  });
}

/** Regression: the raw target of each given row. */
export function readRegressionTargets(state: PreprocessingState, table: CsvTable, rowIdx: readonly number[]): Float64Array {
  const t = columnIndex(table, state.target);
  return Float64Array.from(rowIdx, (r) => {
    const v = table.rows[r][t];
    if (typeof v !== 'number') throw new Error(`${table.source}: line ${table.lines[r]}: target is not a number`);
    return v;
  });
}

/** Regression: raw targets to the scale the model is trained on. */
export function scaleTargets(state: PreprocessingState, values: ArrayLike<number>): Float32Array {
  const { mean, std } = state.targetScaling ?? { mean: 0, std: 1 };
  return Float32Array.from(values, (v) => (v - mean) / std);
}

/** Regression: model outputs back to the target's own units. */
export function unscaleTargets(state: PreprocessingState, values: ArrayLike<number>): Float64Array {
  const { mean, std } = state.targetScaling ?? { mean: 0, std: 1 };
  return Float64Array.from(values, (v) => v * std + mean);
}

/** The JSON text of a fitted preprocessing (`preprocessing.json`). */
export function serializePreprocessing(state: PreprocessingState): string {
  return JSON.stringify(state, null, 2);
}

/** Reads `preprocessing.json` text back, checking its shape; `source` names it in errors. */
export function parsePreprocessing(text: string, source = 'preprocessing.json'): PreprocessingState {
  let state: PreprocessingState;
  try {
    state = JSON.parse(text) as PreprocessingState;
  } catch (err) {
    throw new Error(`${source}: not JSON: ${(err as Error).message}`);
  }
  const bad = (why: string): never => {
    throw new Error(`${source}: not a preprocessing file: ${why}`);
  };
  if (state?.format !== 'hpo-preprocessing' || state.version !== 1) bad('unknown format or version');
  if (state.task !== 'classification' && state.task !== 'regression') bad(`unknown task ${state.task}`);
  if (!Array.isArray(state.features)) bad('no features');
  let width = 0;
  for (const f of state.features) {
    if (f.kind === 'numeric' && typeof f.mean === 'number' && typeof f.std === 'number') width += 1;
    else if (f.kind === 'categorical' && Array.isArray(f.categories)) width += f.categories.length;
    else bad(`feature ${JSON.stringify(f?.name)} is malformed`);
  }
  if (width !== state.inputSize) bad(`inputSize ${state.inputSize} does not match the features (${width})`);
  if (state.task === 'classification' && !(Array.isArray(state.classes) && state.classes.length >= 2)) bad('no classes');
  return state;
}
