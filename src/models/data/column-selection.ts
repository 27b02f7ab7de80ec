import { columnIndex, CsvTable } from './csv-table';

/** What to do with a column that looks like an identifier (every value unique, a row number, a `*_id` name). */
export type IdColumnPolicy = 'drop' | 'refuse' | 'keep';

/** ID-like columns are dropped (with the reason recorded) unless the config says otherwise. */
export const DEFAULT_ID_COLUMN_POLICY: IdColumnPolicy = 'drop';

/** A table needs at least this many rows before "every value is unique" says anything about a column. */
export const ID_MIN_ROWS = 20;

/** A categorical column with at least this share of distinct values is an identifier or free text, not a category. */
export const ID_UNIQUE_RATIO = 0.95;

// Names people give identifier columns: id, ID, uuid, customer_id, customerId, order-key, row_number...
const ID_NAMES = [/^(id|uuid|guid|key|index|row)$/i, /[_\s-](id|uuid|guid|key|no|number)$/i, /[a-z](Id|ID|Uuid|Key)$/];
const namedLikeId = (name: string): boolean => ID_NAMES.some((p) => p.test(name));

/** Which columns become features, and which were left out. */
export interface ColumnChoice {
  /** Feature column indices in file order (never the target). */
  columns: number[];
  /** ID-like columns left out, each with the reason it was taken for an identifier. */
  dropped: { name: string; reason: string }[];
}

/** How the feature columns are chosen (the `dataset` fields of a config). */
export interface ColumnOptions {
  target: string;
  /** Only these columns (file order is kept); none of them is ever dropped as ID-like. */
  features?: readonly string[];
  /** Never these columns. */
  exclude?: readonly string[];
  idColumns?: IdColumnPolicy;
}

/** A column choice that cannot be made; `field` is the `dataset` field at fault. */
export class ColumnChoiceError extends Error {
  constructor(
    readonly field: 'features' | 'exclude' | 'idColumns' | 'target',
    message: string,
  ) {
    super(message);
    this.name = 'ColumnChoiceError';
  }
}

/**
 * Why a column looks like an identifier rather than a feature, or undefined. Looks at the whole
 * file (not the training rows) so every split of it makes the same choice; uses no target values.
 */
export function idLikeReason(table: CsvTable, j: number): string | undefined {
  const values = table.rows.map((r) => r[j]).filter((v) => v !== null);
  if (values.length < ID_MIN_ROWS) return undefined;
  const distinct = new Set(values.map(String)).size;
  if (table.kinds[j] === 'categorical') {
    if (distinct >= ID_UNIQUE_RATIO * values.length) {
      return `${distinct} distinct values in ${values.length} rows: an identifier or free text, which would one-hot encode into as many inputs`;
    }
    return namedLikeId(table.header[j]) && distinct > values.length / 2 ? `named like an identifier, with ${distinct} distinct values` : undefined;
  }
  const numbers = values as number[];
  if (distinct !== numbers.length || !numbers.every(Number.isInteger)) return undefined;
  if (namedLikeId(table.header[j])) return `unique integers in a column named like an identifier`;
  const min = Math.min(...numbers);
  const max = Math.max(...numbers);
  if (max - min === numbers.length - 1) return `unique consecutive integers ${min}..${max}: a row number`;
  return undefined;
}

function checkNames(table: CsvTable, names: readonly string[] | undefined, field: 'features' | 'exclude', target: string): void {
  for (const name of names ?? []) {
    if (!table.header.includes(name)) {
      throw new ColumnChoiceError(field, `no column "${name}" in ${table.source} (columns: ${table.header.join(', ')})`);
    }
    if (name === target) throw new ColumnChoiceError(field, `"${name}" is the target column, never a feature`);
  }
}

/**
 * Chooses the feature columns of a table: `features` (or every column but the target), less
 * `exclude`, less ID-like columns unless `idColumns` is `keep` (`refuse` throws naming them). Columns
 * listed in `features` are the user's choice and kept even when they look like identifiers.
 */
export function chooseColumns(table: CsvTable, options: ColumnOptions): ColumnChoice {
  const t = columnIndex(table, options.target);
  checkNames(table, options.features, 'features', options.target);
  checkNames(table, options.exclude, 'exclude', options.target);
  const chosen = options.features ? new Set(options.features) : undefined;
  const excluded = new Set(options.exclude ?? []);
  const policy = options.idColumns ?? DEFAULT_ID_COLUMN_POLICY;
  const columns: number[] = [];
  const dropped: ColumnChoice['dropped'] = [];
  table.header.forEach((name, j) => {
    if (j === t || excluded.has(name) || (chosen && !chosen.has(name))) return;
    const reason = chosen || policy === 'keep' ? undefined : idLikeReason(table, j);
    if (reason) dropped.push({ name, reason });
    else columns.push(j);
  });
  if (policy === 'refuse' && dropped.length > 0) {
    throw new ColumnChoiceError(
      'idColumns',
      `ID-like column(s) ${dropped.map((d) => `"${d.name}" (${d.reason})`).join('; ')}: list them under dataset.exclude, or set idColumns: drop`,
    );
  }
  if (columns.length === 0) throw new ColumnChoiceError(options.features ? 'features' : 'exclude', `no feature columns are left in ${table.source}`);
  return { columns, dropped };
}
