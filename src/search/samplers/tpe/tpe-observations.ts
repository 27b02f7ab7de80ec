import { Direction, HistoryTrial } from '../../history.types';
import { Params } from '../../space/space.types';
import { completePoints, paretoRanked } from '../../multi/objective-points';
import { nondominatedFronts, RankedPoint } from '../../multi/pareto';

/**
 * Every point by front, and within a front by the sum of its losses scaled to [0, 1] over all
 * points: a crowding tie-break would put the extremes of a front first, which with three
 * objectives are often far from the reference box; the scaled sum keeps the good group near it.
 */
export function frontOrder(points: readonly RankedPoint[]): number[] {
  if (points.length === 0) return [];
  const m = points[0].losses.length;
  const lo = Array.from({ length: m }, (_, k) => Math.min(...points.map((p) => p.losses[k])));
  const hi = Array.from({ length: m }, (_, k) => Math.max(...points.map((p) => p.losses[k])));
  const scaled = points.map((p) => p.losses.reduce((s, v, k) => s + (hi[k] > lo[k] ? (v - lo[k]) / (hi[k] - lo[k]) : 0), 0));
  return nondominatedFronts(points).flatMap((front) => [...front].sort((a, b) => scaled[a] - scaled[b] || a - b));
}

/**
 * One trial as TPE ranks it. `tier` orders trials before `value` does, as Optuna's `(-step,
 * value)` pairs: complete trials first (-Infinity), then pruned ones by how far they got (-last
 * step), pruned trials that reported nothing (1), and trials in flight (+Infinity) last, so a
 * constant liar always puts them in the bad group.
 */
export interface RankedTrial {
  params: Params;
  tier: number;
  /** The objective as a loss (maximised objectives negated); NaN counts as the worst. */
  value: number;
}

/**
 * The trials the estimators learn from, oldest first: COMPLETE trials with a value and PRUNED
 * ones (Optuna includes both), then `pending` ones as in-flight lies when asked. FAILED trials,
 * and COMPLETE ones without a value, say nothing about the objective and are left out.
 */
export function rankedTrials(
  history: readonly HistoryTrial[],
  pending: readonly Params[],
  direction: Direction,
  constantLiar: boolean,
  objectives?: readonly Direction[],
): RankedTrial[] {
  if (paretoRanked(objectives)) return rankedMulti(history, pending, objectives, constantLiar);
  const sign = direction === 'maximize' ? -1 : 1;
  const loss = (v: number): number => (Number.isNaN(v) ? Infinity : sign * v);
  const out: RankedTrial[] = [];
  for (const t of history) {
    if (t.state === 'COMPLETE' && typeof t.value === 'number') out.push({ params: t.params, tier: -Infinity, value: loss(t.value) });
    else if (t.state === 'PRUNED') {
      const last = t.intermediate[t.intermediate.length - 1];
      if (last) out.push({ params: t.params, tier: -last.step, value: loss(last.value) });
      else if (typeof t.value === 'number') out.push({ params: t.params, tier: 0, value: loss(t.value) });
      else out.push({ params: t.params, tier: 1, value: 0 });
    }
  }
  if (constantLiar) for (const params of pending) out.push({ params, tier: Infinity, value: Infinity });
  return out;
}

/**
 * MOTPE's ranking: complete trials with every objective value by their NSGA-II position
 * (constrained non-dominated fronts, then crowding distance), so the good group is the first
 * fronts; pruned trials cannot be compared on several objectives and are left out.
 */
function rankedMulti(history: readonly HistoryTrial[], pending: readonly Params[], objectives: readonly Direction[], constantLiar: boolean): RankedTrial[] {
  const complete = completePoints(history, objectives);
  const position = new Map<number, number>();
  frontOrder(complete.map((c) => c.point)).forEach((i, rank) => position.set(complete[i].index, rank));
  const out: RankedTrial[] = [];
  history.forEach((t, index) => {
    const rank = position.get(index);
    if (rank !== undefined) out.push({ params: t.params, tier: -Infinity, value: rank });
  });
  if (constantLiar) for (const params of pending) out.push({ params, tier: Infinity, value: Infinity });
  return out;
}

/** How many ranked trials are finished (not in flight): the `n` of gamma(n) and of the start-up count. */
export function finishedCount(trials: readonly RankedTrial[]): number {
  return trials.reduce((n, t) => n + (t.tier === Infinity ? 0 : 1), 0);
}

/**
 * Splits trials into the good group (the `nBelow` best by tier, then value; ties by age) and the
 * bad group (the rest, trials in flight included). Both index lists are in chronological order,
 * which the age-dependent weights rely on.
 */
export function splitTrials(trials: readonly RankedTrial[], nBelow: number): { below: number[]; above: number[] } {
  const order = trials.map((_, i) => i).sort((a, b) => compareTrials(trials[a], trials[b]) || a - b);
  const below = order.slice(0, nBelow).sort((a, b) => a - b);
  const above = order.slice(nBelow).sort((a, b) => a - b);
  return { below, above };
}

function compareTrials(a: RankedTrial, b: RankedTrial): number {
  if (a.tier !== b.tier) return a.tier < b.tier ? -1 : 1;
  if (a.value === b.value) return 0;
  return a.value < b.value ? -1 : 1;
}
