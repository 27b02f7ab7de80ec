import { Direction, HistoryTrial } from '../../history.types';
import { Params } from '../../space/space.types';
import { completePoints, paretoRanked } from '../../multi/objective-points';
import { contributionWeights, greedyHypervolumeSubset, nadirReference } from '../../multi/hssp';
import { nondominatedFronts, RankedPoint } from '../../multi/pareto';

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
  /** With several objectives (or constraints), a complete trial's losses and violation, which MOTPE splits and weighs by. */
  point?: RankedPoint;
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
 * MOTPE's observations: the complete trials with every objective value, each with its losses and
 * violation (ranked by {@link splitTrials}); pruned trials cannot be compared on several
 * objectives and are left out, as in Optuna.
 */
function rankedMulti(history: readonly HistoryTrial[], pending: readonly Params[], objectives: readonly Direction[], constantLiar: boolean): RankedTrial[] {
  const out: RankedTrial[] = completePoints(history, objectives).map(({ index, point }) => ({
    params: history[index].params,
    tier: -Infinity,
    value: 0,
    point,
  }));
  if (constantLiar) for (const params of pending) out.push({ params, tier: Infinity, value: Infinity });
  return out;
}

/** How many ranked trials are finished (not in flight): the `n` of gamma(n) and of the start-up count. */
export function finishedCount(trials: readonly RankedTrial[]): number {
  return trials.reduce((n, t) => n + (t.tier === Infinity ? 0 : 1), 0);
}

/** The good and bad groups as chronological index lists, with MOTPE's weights of the good group where it applies. */
export interface TrialSplit {
  below: number[];
  above: number[];
  /** Aligned with `below`: hypervolume-contribution weights (several objectives only). */
  belowWeights?: Float64Array;
}

/**
 * Splits trials into the good group (the `nBelow` best) and the bad group (the rest, trials in
 * flight included). One objective: best by tier, then value, ties by age. Several objectives:
 * see {@link splitMulti}. Both index lists are in chronological order, which the age-dependent
 * weights rely on.
 */
export function splitTrials(trials: readonly RankedTrial[], nBelow: number): TrialSplit {
  if (trials.some((t) => t.point)) return splitMulti(trials, nBelow);
  const order = trials.map((_, i) => i).sort((a, b) => compareTrials(trials[a], trials[b]) || a - b);
  const below = order.slice(0, nBelow).sort((a, b) => a - b);
  const above = order.slice(nBelow).sort((a, b) => a - b);
  return { below, above };
}

/**
 * MOTPE's split, as Optuna's `_split_complete_trials_multi_objective`: whole constrained
 * non-dominated fronts while they fit in `nBelow`, then the rest of the good group from the first
 * front that does not fit, by greedy hypervolume subset selection against a reference just beyond
 * that front's worst point, so the good group spreads along the front instead of bunching where
 * a fixed tie-break points. With two or more objectives the good group is weighted by
 * hypervolume contribution ({@link contributionWeights}).
 */
function splitMulti(trials: readonly RankedTrial[], nBelow: number): TrialSplit {
  const ranked = trials.map((_, i) => i).filter((i) => trials[i].point);
  const points = ranked.map((i) => trials[i].point!);
  const target = Math.min(nBelow, ranked.length);
  const chosen = new Set<number>();
  for (const front of nondominatedFronts(points)) {
    const need = target - chosen.size;
    if (need <= 0) break;
    if (front.length <= need) {
      front.forEach((f) => chosen.add(ranked[f]));
      continue;
    }
    const losses = front.map((f) => points[f].losses);
    for (const a of greedyHypervolumeSubset(losses, need, nadirReference(losses))) chosen.add(ranked[front[a]]);
  }
  const below = trials.map((_, i) => i).filter((i) => chosen.has(i));
  const above = trials.map((_, i) => i).filter((i) => !chosen.has(i));
  // One objective under constraints: the fronts are feasibility then value, and the weights stay Optuna's single-objective ones.
  if (points[0].losses.length < 2) return { below, above };
  const belowWeights = contributionWeights(
    below.map((i) => trials[i].point!.losses),
    below.map((i) => trials[i].point!.violation <= 0),
  );
  return { below, above, belowWeights };
}

function compareTrials(a: RankedTrial, b: RankedTrial): number {
  if (a.tier !== b.tier) return a.tier < b.tier ? -1 : 1;
  if (a.value === b.value) return 0;
  return a.value < b.value ? -1 : 1;
}
