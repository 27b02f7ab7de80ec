import { columnIndex, CsvTable, isNumericText } from './csv-table';

/** What a model learns to predict: a class among a fixed list, or a real number. */
export type LearningTask = 'classification' | 'regression';

/** How a missing numeric value is filled: the training mean or median (recorded with the feature). */
export type NumericImputation = 'mean' | 'median';

/** How a missing category is filled: the explicit "unknown" bucket (all zeros), or the most frequent training category. */
export type CategoricalImputation = 'unknown' | 'mode';

/** Missing values are filled like this unless the config says otherwise. */
export const DEFAULT_IMPUTATION = { numeric: 'mean', categorical: 'unknown' } as const;

/** A categorical column keeps at most this many categories; the rarer ones share the "other" bucket. */
export const DEFAULT_MAX_CATEGORIES = 50;

/** The bucket rare training categories are merged into (a category of its own, the last one). */
export const OTHER_CATEGORY = '(other)';

/** A numeric feature, standardised with the training mean and standard deviation. */
export interface NumericFeatureState {
  name: string;
  kind: 'numeric';
  mean: number;
  /** Population standard deviation of the training values; 1 where it was 0. */
  std: number;
  /** How a missing value was filled at training, and so at serving (absent in older files: the mean). */
  impute?: NumericImputation;
  /** The fill value, in the feature's own units (absent in older files: `mean`). */
  fill?: number;
}

/** A categorical feature, one-hot encoded over the categories seen in training (sorted). */
export interface CategoricalFeatureState {
  name: string;
  kind: 'categorical';
  /** One input each; {@link OTHER_CATEGORY} last when rare categories were merged. */
  categories: string[];
  /** Training categories merged into {@link OTHER_CATEGORY} (so serving maps them there too, and not to "unknown"). */
  other?: string[];
  /** How a missing value was filled (absent in older files: the unknown bucket). */
  impute?: CategoricalImputation;
  /** With `impute: mode`, the category a missing value becomes. */
  fill?: string;
}

/** How one input column becomes model inputs. */
export type FeatureState = NumericFeatureState | CategoricalFeatureState;

/**
 * Fitted preprocessing, plain JSON (written as `preprocessing.json` beside a model). Everything in it
 * was computed from the training split only, so validation metrics are honest. Fields added after
 * the first release are optional, so files written before them still load and mean what they meant.
 */
export interface PreprocessingState {
  format: 'hpo-preprocessing';
  version: 1;
  task: LearningTask;
  /** Name of the target column. */
  target: string;
  /** Input columns in model order (the CSV order without the target and the columns left out). */
  features: FeatureState[];
  /** Width of the encoded input: one per numeric feature plus one per category. */
  inputSize: number;
  /** Classification: the class labels, sorted; a label is encoded as its index here. */
  classes?: string[];
  /** Regression: the model predicts `(y − mean) / std`; invert with {@link unscaleTargets}. */
  targetScaling?: { mean: number; std: number };
  /** ID-like columns left out of the features, with the reason each was taken for an identifier. */
  dropped?: { name: string; reason: string }[];
  /** Classification with `classWeights: balanced`: each class's loss weight, parallel to `classes`. */
  classWeights?: number[];
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
  /** Feature column indices (default: every column but the target). */
  columns?: readonly number[];
  /** Columns left out as ID-like, recorded in the state. */
  dropped?: { name: string; reason: string }[];
  impute?: { numeric?: NumericImputation; categorical?: CategoricalImputation };
  /** Most categories a column keeps (default {@link DEFAULT_MAX_CATEGORIES}). */
  maxCategories?: number;
  /** Classification: weigh each class's loss by `n / (k · n_class)` (default none). */
  classWeights?: 'none' | 'balanced';
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

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Counts of each category, most frequent first (ties in label order, so the choice is stable). */
function byFrequency(values: string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || compareLabels(a[0], b[0]));
}

function fitNumeric(name: string, present: number[], impute: NumericImputation): NumericFeatureState {
  const { mean, std } = meanStd(present);
  return { name, kind: 'numeric', mean, std, impute, fill: impute === 'median' ? median(present) : mean };
}

function fitCategorical(name: string, present: string[], impute: CategoricalImputation, maxCategories: number): CategoricalFeatureState {
  const ranked = byFrequency(present);
  const capped = ranked.length > maxCategories;
  // Keep maxCategories − 1 real ones so that, with "other", the column still takes maxCategories inputs.
  const kept = (capped ? ranked.slice(0, Math.max(1, maxCategories - 1)) : ranked).map(([c]) => c).sort(compareLabels);
  const state: CategoricalFeatureState = { name, kind: 'categorical', categories: capped ? [...kept, OTHER_CATEGORY] : kept, impute };
  if (capped) state.other = ranked.slice(kept.length).map(([c]) => c);
  if (impute === 'mode' && ranked.length > 0) state.fill = ranked[0][0];
  return state;
}

/** Balanced class weights `n / (k · n_c)` over the training labels, parallel to `classes`. */
export function balancedClassWeights(classes: readonly string[], labels: readonly string[]): number[] {
  const counts = new Map<string, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  return classes.map((c) => labels.length / (classes.length * (counts.get(c) ?? 1)));
}

/** Fits feature encoders (and the target's encoding) on the given training rows of a table. */
export function fitPreprocessing(table: CsvTable, trainRows: readonly number[], options: FitOptions): PreprocessingState {
  const t = columnIndex(table, options.target);
  if (trainRows.length === 0) throw new Error(`${table.source}: no training rows to fit preprocessing on`);
  const impute = { ...DEFAULT_IMPUTATION, ...options.impute };
  const maxCategories = options.maxCategories ?? DEFAULT_MAX_CATEGORIES;
  const columns = options.columns ?? table.header.map((_, j) => j).filter((j) => j !== t);
  const features: FeatureState[] = [];
  let inputSize = 0;
  for (const j of columns) {
    const name = table.header[j];
    const present = trainRows.map((r) => table.rows[r][j]).filter((v) => v !== null);
    const feature =
      table.kinds[j] === 'numeric'
        ? fitNumeric(name, present as number[], impute.numeric)
        : fitCategorical(name, present.map(String), impute.categorical, maxCategories);
    features.push(feature);
    inputSize += feature.kind === 'numeric' ? 1 : feature.categories.length;
  }
  const state: PreprocessingState = {
    format: 'hpo-preprocessing',
    version: 1,
    task: options.task,
    target: options.target,
    features,
    inputSize,
    ...(options.dropped && options.dropped.length > 0 ? { dropped: options.dropped } : {}),
  };
  const targets = trainRows.map((r) => {
    const v = table.rows[r][t];
    if (v === null) throw new Error(`${table.source}: line ${table.lines[r]}: empty target '${options.target}'`);
    return v;
  });
  if (options.task === 'classification') {
    state.classes = [...new Set(targets.map(String))].sort(compareLabels);
    if (state.classes.length < 2) throw new Error(`${table.source}: target '${options.target}' has fewer than 2 classes`);
    if (options.classWeights === 'balanced') state.classWeights = balancedClassWeights(state.classes, targets.map(String));
  } else {
    if (table.kinds[t] !== 'numeric') {
      throw new Error(`${table.source}: regression target '${options.target}' is not numeric`);
    }
    state.targetScaling = options.standardizeTarget === false ? { mean: 0, std: 1 } : meanStd(targets as number[]);
  }
  return state;
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
  if (state.classWeights !== undefined && !(Array.isArray(state.classWeights) && state.classWeights.length === state.classes?.length)) {
    bad('classWeights do not match the classes');
  }
  return state;
}
