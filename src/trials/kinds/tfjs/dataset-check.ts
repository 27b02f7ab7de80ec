import { readFileSync, statSync } from 'node:fs';
import { CsvError, parseCsv } from '../../../models/data/csv-table';
import { Problem } from '../../../domain/errors';
import { TfjsTrialConfig } from './tfjs.config';

/**
 * Datasets up to this size are read whole when a config is validated; larger ones are checked when
 * the first trial loads them, so that validating a config never costs more than a moment.
 */
const DATASET_CHECK_MAX_BYTES = 64 * 1024 * 1024;

/**
 * What is wrong with a tfjs trial's dataset, found before anything runs: a file that does not
 * parse as CSV, a target column that is not there, a regression target that is not numeric, a
 * classification target with a single class. Empty when the file is missing (reported elsewhere)
 * or too large to read now.
 */
export function datasetProblems(t: TfjsTrialConfig): Problem[] {
  const { path, target } = t.dataset;
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) return [];
    size = stat.size;
  } catch {
    return [];
  }
  if (size > DATASET_CHECK_MAX_BYTES) return [];
  let table;
  try {
    table = parseCsv(readFileSync(path, 'utf8'), path);
  } catch (error) {
    if (error instanceof CsvError) return [{ path: 'trial.dataset.path', message: `not a usable CSV file: ${error.message}` }];
    throw error;
  }
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
  const shape = t.dataset.shape;
  if (shape) {
    const size = shape.reduce((a, b) => a * b, 1);
    const features = table.header.length - 1;
    const text = table.header.filter((h, j) => j !== column && table.kinds[j] !== 'numeric');
    if (size !== features)
      return [{ path: 'trial.dataset.shape', message: `[${shape.join(', ')}] holds ${size} values but ${path} has ${features} feature columns` }];
    if (text.length > 0) return [{ path: 'trial.dataset.shape', message: `shaped inputs must be numeric; columns ${text.join(', ')} are not` }];
  }
  const classes = new Set(values).size;
  if (t.task === 'classification' && classes < 2) {
    return [{ path: 'trial.dataset.target', message: `a classification target needs at least two classes; column "${target}" has ${classes}` }];
  }
  return [];
}
