import { Params } from '../../search/space/space.types';
import { TrialState } from '../trial.types';
import { STATE_CODES, TrialColumns } from './trial-columns';

/** How the trial table is asked for: a state filter, a sort key and order, and a window of rows. */
export interface TableQuery {
  state?: TrialState;
  /** `number`, `value`, `duration`, `state`, or `param:<name>`. */
  sort: string;
  order: 'asc' | 'desc';
  offset: number;
  limit: number;
}

/** One row of the trial table. */
export interface TableRow {
  number: number;
  state: TrialState;
  value: number | null;
  durationSec: number | null;
  failure: string | null;
  attempt: number;
  worker: string | null;
  params: Params;
}

/** A window of the sorted, filtered table, with the count of rows the filter keeps. */
export interface TablePage {
  total: number;
  offset: number;
  rows: TableRow[];
  version: number;
}

/** The key a sort reads for row `i`; NaN (missing) sorts last whichever the order. */
function keyOf(c: TrialColumns, sort: string, now: number): ((i: number) => number) | undefined {
  if (sort === 'number') return (i) => i;
  if (sort === 'value') return (i) => c.values[i];
  if (sort === 'duration') return (i) => c.durationAt(i, now);
  if (sort === 'state') return (i) => c.states[i];
  if (sort.startsWith('param:')) {
    const k = c.names.indexOf(sort.slice('param:'.length));
    return k < 0 ? undefined : (i) => c.params[k][i];
  }
  return undefined;
}

/** The sort keys a table accepts for these columns. */
export function sortKeys(c: TrialColumns): string[] {
  return ['number', 'value', 'duration', 'state', ...c.names.map((n) => `param:${n}`)];
}

/** The row order for a query: filtered by state, sorted by key with missing keys last, ties by number. */
export function tableOrder(c: TrialColumns, q: Pick<TableQuery, 'state' | 'sort' | 'order'>, now: number): Int32Array {
  const key = keyOf(c, q.sort, now)!;
  const code = q.state ? STATE_CODES.indexOf(q.state) : -1;
  const rows: number[] = [];
  for (let i = 0; i < c.size; i++) if (code < 0 || c.states[i] === code) rows.push(i);
  const keys = new Float64Array(c.size);
  for (const i of rows) keys[i] = key(i);
  const sign = q.order === 'desc' ? -1 : 1;
  rows.sort((a, b) => {
    const ka = keys[a],
      kb = keys[b];
    const na = Number.isNaN(ka),
      nb = Number.isNaN(kb);
    if (na || nb) return na === nb ? a - b : na ? 1 : -1;
    return ka === kb ? a - b : sign * (ka - kb);
  });
  return Int32Array.from(rows);
}

/** Rows `offset .. offset + limit` of an ordering. */
export function tableRows(c: TrialColumns, order: Int32Array, offset: number, limit: number, now: number): TableRow[] {
  const rows: TableRow[] = [];
  for (let k = offset; k < Math.min(order.length, offset + limit); k++) {
    const i = order[k];
    const duration = c.durationAt(i, now);
    rows.push({
      number: i + 1,
      state: c.stateAt(i),
      value: Number.isFinite(c.values[i]) ? c.values[i] : null,
      durationSec: Number.isFinite(duration) ? Number(duration.toFixed(3)) : null,
      failure: c.failures[i],
      attempt: c.attempts[i],
      worker: c.workers[i],
      params: c.paramsAt(i),
    });
  }
  return rows;
}

/** Whether `sort` names a key these columns can sort by. */
export function isSortKey(c: TrialColumns, sort: string): boolean {
  return keyOf(c, sort, 0) !== undefined;
}
