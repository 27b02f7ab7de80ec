import { readFileSync, statSync } from 'node:fs';
import { CsvError, CsvTable, parseCsv } from '../../../models/data/csv-table';
import { Problem } from '../../../domain/errors';
import { chooseColumns, ColumnChoiceError } from '../../../models/data/column-selection';
import { TfjsTrialConfig } from './tfjs.config';

/**
 * Datasets up to this size are read whole when a config is validated; larger ones are checked when
 * the first trial loads them, so that validating a config never costs more than a moment.
 */
const DATASET_CHECK_MAX_BYTES = 64 * 1024 * 1024;

/** The parsed dataset when it is a file small enough to read now; undefined otherwise. */
function readSmallTable(path: string): CsvTable | undefined {
  try {
    const stat = statSync(path);
    if (!stat.isFile() || stat.size > DATASET_CHECK_MAX_BYTES) return undefined;
  } catch {
    return undefined;
  }
  return parseCsv(readFileSync(path, 'utf8'), path);
}

/**
 * What a user should know about a valid tfjs trial's dataset before it runs: the ID-like columns
 * that will be left out (the warning of `idColumns: drop`). Empty when it cannot be read now.
 */
export function datasetNotices(t: TfjsTrialConfig): string[] {
  try {
    const table = readSmallTable(t.dataset.path);
    if (!table) return [];
    return chooseColumns(table, t.dataset).dropped.map(
      (d) => `trial.dataset: column "${d.name}" is left out as ID-like (${d.reason}); name it under dataset.features to keep it, or set idColumns: refuse`,
    );
  } catch {
    return []; // its problems were reported when the config was validated
  }
}

/**
 * What is wrong with a tfjs trial's dataset, found before anything runs: a file that does not
 * parse as CSV, a target column that is not there, a regression target that is not numeric, a
 * classification target with a single class, feature or exclude lists naming columns that are not
 * there, ID-like columns under `idColumns: refuse`. Empty when the file is missing (reported elsewhere)
 * or too large to read now.
 */
export function datasetProblems(t: TfjsTrialConfig): Problem[] {
  const { path, target } = t.dataset;
  let table;
  try {
    table = readSmallTable(path);
  } catch (error) {
    if (error instanceof CsvError) return [{ path: 'trial.dataset.path', message: `not a usable CSV file: ${error.message}` }];
    throw error;
  }
  if (!table) return [];
  const column = table.header.indexOf(target);
  if (column < 0) return [{ path: 'trial.dataset.target', message: `no column "${target}" in ${path} (columns: ${table.header.join(', ')})` }];
  if (table.header.length < 2) return [{ path: 'trial.dataset.path', message: `${path} has only the target column: no features to learn from` }];
  const values = table.rows.map((r) => r[column]).filter((v) => v !== null);
  if (t.task === 'regression' && table.kinds[column] !== 'numeric') {
    const sample = values.find((v) => typeof v === 'string');
    return [
      {
        path: 'trial.dataset.target',
        message: `a regression target must be numeric; column "${target}" has values such as "${sample}" (use task: classification for labels)`,
      },
    ];
  }
  if (t.task === 'regression' && t.dataset.classWeights === 'balanced') {
    return [{ path: 'trial.dataset.classWeights', message: 'class weights apply to classification only' }];
  }
  let columns: number[];
  try {
    columns = chooseColumns(table, t.dataset).columns;
  } catch (error) {
    if (error instanceof ColumnChoiceError) return [{ path: `trial.dataset.${error.field}`, message: error.message }];
    throw error;
  }
  const shape = t.dataset.shape;
  if (shape) {
    const size = shape.reduce((a, b) => a * b, 1);
    const text = columns.filter((j) => table.kinds[j] !== 'numeric').map((j) => table.header[j]);
    if (size !== columns.length)
      return [{ path: 'trial.dataset.shape', message: `[${shape.join(', ')}] holds ${size} values but ${path} has ${columns.length} feature columns` }];
    if (text.length > 0) return [{ path: 'trial.dataset.shape', message: `shaped inputs must be numeric; columns ${text.join(', ')} are not` }];
  }
  const classes = new Set(values).size;
  if (t.task === 'classification' && classes < 2) {
    return [{ path: 'trial.dataset.target', message: `a classification target needs at least two classes; column "${target}" has ${classes}` }];
  }
  return [];
}
