import { columnIndex, CsvTable, isNumericText } from './csv-table';
import { CategoricalFeatureState, PreprocessingState, RawRow, RawValue } from './preprocessing';

/**
 * Something the encoding did to a raw value that a caller should know about: a missing value
 * (`null`, `""`, or an absent key) filled in as at training, or a category training never saw,
 * mapped to the "unknown" bucket.
 */
export interface InputNote {
  /** Index of the row in the batch. */
  row: number;
  feature: string;
  kind: 'imputed' | 'unknown';
  /** Imputed: what the value became (a number in the feature's units, a category, or "unknown"). Unknown: the value sent. */
  value: number | string;
}

/** The name under which a missing or unseen category is reported: the bucket that encodes as all zeros. */
export const UNKNOWN_CATEGORY = 'unknown';

const isMissing = (value: RawValue): boolean => value === null || value === undefined || value === '';

function readNumber(value: RawValue, where: string): number | null {
  if (isMissing(value)) return null;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && isNumericText(value.trim())) return Number(value.trim());
  throw new Error(`${where}: expected a number, got ${JSON.stringify(value)}`);
}

function rowValues(row: RawRow, i: number, names: readonly string[], known: ReadonlySet<string>): readonly RawValue[] {
  if (Array.isArray(row)) {
    if (row.length !== names.length) throw new Error(`row ${i}: expected ${names.length} values (${names.join(', ')}), got ${row.length}`);
    return row;
  }
  if (row !== null && typeof row === 'object') {
    const obj = row as Readonly<Record<string, RawValue>>;
    const unknown = Object.keys(obj).filter((k) => !known.has(k));
    if (unknown.length > 0) throw new Error(`row ${i}: unknown feature(s) ${unknown.join(', ')} (expected ${names.join(', ')})`);
    // An absent key is a missing value, as an empty CSV cell is at training.
    return names.map((n) => obj[n]);
  }
  throw new Error(`row ${i}: expected an array of values or an object keyed by feature name`);
}

/** The one-hot slot of a category value, or −1 for the unknown bucket; notes imputations and unseen values. */
function categorySlot(f: CategoricalFeatureState, value: RawValue, i: number, notes: InputNote[] | undefined): number {
  if (isMissing(value)) {
    const fill = f.impute === 'mode' && f.fill !== undefined ? f.fill : undefined;
    notes?.push({ row: i, feature: f.name, kind: 'imputed', value: fill ?? UNKNOWN_CATEGORY });
    return fill === undefined ? -1 : f.categories.indexOf(fill);
  }
  const text = String(value);
  const c = f.categories.indexOf(text);
  if (c >= 0) return c;
  if (f.other?.includes(text)) return f.categories.length - 1;
  notes?.push({ row: i, feature: f.name, kind: 'unknown', value: text });
  return -1;
}

/**
 * Encodes raw rows into a row-major `rows.length × inputSize` matrix, exactly as the training rows
 * were. Rows are arrays of raw values in feature order or objects keyed by feature name (a missing
 * key is a missing value; unknown names are refused). A missing numeric value becomes the fill value
 * saved at training (the mean or median); a missing category the saved mode or the unknown bucket;
 * a category training never saw the unknown bucket (all zeros), and a rare training category the
 * "other" bucket. Each imputation and unseen category is appended to `notes` when it is given.
 */
export function encodeRows(state: PreprocessingState, rows: readonly RawRow[], notes?: InputNote[]): Float32Array {
  const names = state.features.map((f) => f.name);
  const known = new Set(names);
  const out = new Float32Array(rows.length * state.inputSize);
  rows.forEach((row, i) => {
    const values = rowValues(row, i, names, known);
    let k = i * state.inputSize;
    state.features.forEach((f, j) => {
      if (f.kind === 'numeric') {
        let v = readNumber(values[j], `row ${i}, feature '${f.name}'`);
        if (v === null) {
          v = f.fill ?? f.mean;
          notes?.push({ row: i, feature: f.name, kind: 'imputed', value: v });
        }
        out[k++] = (v - f.mean) / f.std;
      } else {
        const c = categorySlot(f, values[j], i, notes);
        if (c >= 0) out[k + c] = 1;
        k += f.categories.length;
      }
    });
  });
  return out;
}

/** {@link encodeRows} without the notes. */
export function transformRows(state: PreprocessingState, rows: readonly RawRow[]): Float32Array {
  return encodeRows(state, rows);
}

/** Encodes the feature columns of the given table rows by name (columns left out at training are skipped); see {@link encodeRows}. */
export function encodeFeatures(state: PreprocessingState, table: CsvTable, rowIdx: readonly number[]): Float32Array {
  const columns = state.features.map((f) => columnIndex(table, f.name));
  return encodeRows(
    state,
    rowIdx.map((r) => columns.map((j) => table.rows[r][j])),
  );
}

/**
 * The numeric inputs that do not survive preprocessing as finite 32-bit numbers (`1e308`, finite as
 * a double, standardises past float32's range), by row index and feature name, in row order. A
 * model fed such a value answers with a label and null probabilities; the caller refuses it instead.
 */
export function nonFiniteInputs(state: PreprocessingState, rows: readonly RawRow[]): { row: number; feature: string }[] {
  const encoded = encodeRows(state, rows);
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
