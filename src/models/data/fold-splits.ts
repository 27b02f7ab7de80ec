import { createRng } from '../../search/rng';
import { columnIndex, CsvTable } from './csv-table';
import { encodeTraining, encodeValidation, fitOn, ModelDataSpec, nonTestRows, PreparedData } from './dataset-splits';
import { shuffleInPlace } from './holdout-split';

/** The rows of one fold: trained on `train`, scored on `validation`; ascending. */
export interface FoldRows {
  train: number[];
  validation: number[];
}

/**
 * k seeded folds over the rows left after the test rows, stratified by class for classification
 * (each class is shuffled on its own and dealt round the folds, so every fold keeps the class
 * proportions). The same seed and k give the same folds every time.
 */
export function foldRows(table: CsvTable, spec: ModelDataSpec, k: number): FoldRows[] {
  const rows = nonTestRows(table, spec);
  if (rows.length < k) throw new Error(`${table.source}: ${rows.length} rows cannot make ${k} folds`);
  const t = columnIndex(table, spec.dataset.target);
  const groups = new Map<string, number[]>();
  for (const r of rows) {
    const key = spec.task === 'classification' ? String(table.rows[r][t]) : '';
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const rng = createRng(spec.dataset.validation.seed, 2);
  const folds: number[][] = Array.from({ length: k }, () => []);
  let next = 0;
  // Sorted keys: the folds must not depend on the order in which classes first appear.
  for (const key of [...groups.keys()].sort()) {
    for (const r of shuffleInPlace(groups.get(key)!, rng)) folds[next++ % k].push(r);
  }
  return folds.map((fold, f) => ({
    validation: [...fold].sort((a, b) => a - b),
    train: folds.flatMap((other, g) => (g === f ? [] : other)).sort((a, b) => a - b),
  }));
}

/** One fold's data: the preprocessing fitted on its training rows only, both parts encoded with it. */
export function prepareFold(table: CsvTable, spec: ModelDataSpec, fold: FoldRows): PreparedData {
  const preprocessing = fitOn(table, spec, fold.train);
  return { preprocessing, train: encodeTraining(preprocessing, table, fold.train), validation: encodeValidation(preprocessing, table, fold.validation) };
}

/**
 * The refit after cross-validation: the preprocessing fitted on every row but the test rows, and
 * those rows encoded (they serve as the training loop's validation part too: no row is left to hold out).
 */
export function prepareRefit(table: CsvTable, spec: ModelDataSpec): PreparedData {
  const rows = nonTestRows(table, spec);
  const preprocessing = fitOn(table, spec, rows);
  return { preprocessing, train: encodeTraining(preprocessing, table, rows), validation: encodeValidation(preprocessing, table, rows) };
}
