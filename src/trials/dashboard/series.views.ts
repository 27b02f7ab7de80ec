import { Direction } from '../../search/history.types';
import { TrialColumns } from './trial-columns';

const COMPLETE = 2;
const PRUNED = 3;

/** What a plot says of its downsampling: how many trials it could show and how many it shows. */
export interface Downsampling {
  total: number;
  shown: number;
  downsampled: boolean;
}

/** Optimisation history: a point per trial (or the extremes of each bucket of trials), and the best so far. */
export interface HistorySeries extends Downsampling {
  /** `[number, value, state]` with state 2 = COMPLETE, 3 = PRUNED. */
  points: [number, number, number][];
  /** `[number, best value so far]` at each trial that improved on the best (a step line). */
  best: [number, number][];
}

const better = (direction: Direction) => (a: number, b: number) => (direction === 'minimize' ? a < b : a > b);

/**
 * The history of every complete or pruned trial with a value. Past `maxPoints`, trials are cut into
 * `maxPoints / 2` consecutive buckets and each keeps its lowest and its highest point, so outliers
 * and the shape of the cloud survive while the payload stays bounded (a plot cannot show more
 * points than it has pixels). The best-so-far line keeps every improvement, so it is exact.
 */
export function historySeries(c: TrialColumns, direction: Direction, maxPoints: number): HistorySeries {
  const rows: number[] = [];
  for (let i = 0; i < c.size; i++) if ((c.states[i] === COMPLETE || c.states[i] === PRUNED) && Number.isFinite(c.values[i])) rows.push(i);
  const isBetter = better(direction);
  const best: [number, number][] = [];
  let current = Number.NaN;
  for (const i of rows) {
    if (c.states[i] !== COMPLETE) continue;
    if (Number.isNaN(current) || isBetter(c.values[i], current)) {
      current = c.values[i];
      best.push([i + 1, current]);
    }
  }
  if (rows.length && best.length) best.push([rows[rows.length - 1] + 1, current]);
  const point = (i: number): [number, number, number] => [i + 1, c.values[i], c.states[i]];
  if (rows.length <= maxPoints) return { total: rows.length, shown: rows.length, downsampled: false, points: rows.map(point), best };
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const points: [number, number, number][] = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * rows.length) / buckets);
    const to = Math.floor(((b + 1) * rows.length) / buckets);
    let lo = rows[from],
      hi = rows[from];
    for (let k = from + 1; k < to; k++) {
      const i = rows[k];
      if (c.values[i] < c.values[lo]) lo = i;
      if (c.values[i] > c.values[hi]) hi = i;
    }
    points.push(point(Math.min(lo, hi)));
    if (hi !== lo) points.push(point(Math.max(lo, hi)));
  }
  return { total: rows.length, shown: points.length, downsampled: true, points, best };
}

/** Rows of complete trials for the plots that draw one mark per trial (parallel coordinates, slices). */
export interface TrialSample extends Downsampling {
  numbers: number[];
  values: number[];
  /** Parameter name → plot value per sampled trial (a category's index; null where inactive). */
  params: Record<string, (number | null)[]>;
}

/**
 * Complete trials for per-trial plots. Past `maxPoints`, the best tenth of the budget is kept
 * (what a user brushes for) and the rest is an even stride through the others, in number order.
 */
export function trialSample(c: TrialColumns, direction: Direction, maxPoints: number): TrialSample {
  const rows: number[] = [];
  for (let i = 0; i < c.size; i++) if (c.states[i] === COMPLETE && Number.isFinite(c.values[i])) rows.push(i);
  let chosen = rows;
  if (rows.length > maxPoints) {
    const sign = direction === 'minimize' ? 1 : -1;
    const ranked = [...rows].sort((a, b) => sign * (c.values[a] - c.values[b]));
    const top = ranked.slice(0, Math.floor(maxPoints / 10));
    const keep = new Set(top);
    const rest = maxPoints - top.length;
    const others = rows.filter((i) => !keep.has(i));
    for (let k = 0; k < rest; k++) keep.add(others[Math.floor((k * others.length) / rest)]);
    chosen = [...keep].sort((a, b) => a - b);
  }
  const params: Record<string, (number | null)[]> = {};
  c.names.forEach((name, k) => (params[name] = chosen.map((i) => (Number.isNaN(c.params[k][i]) ? null : c.params[k][i]))));
  return {
    total: rows.length,
    shown: chosen.length,
    downsampled: chosen.length < rows.length,
    numbers: chosen.map((i) => i + 1),
    values: chosen.map((i) => c.values[i]),
    params,
  };
}
