import { Direction, HistoryTrial } from '../../history.types';
import { Rng } from '../../rng';
import { SearchSpace } from '../../space/space.types';
import { encodeParams } from '../../space/unit-cube';
import { completePoints } from '../../multi/objective-points';
import { nsgaOrder } from '../../multi/pareto';

/** A complete trial as the GA sees it: its point in the unit cube and a score where lower is better. */
export interface Individual {
  number: number;
  point: Float64Array;
  /** The objective value, negated when maximizing. */
  score: number;
}

/**
 * The complete trials with a finite value, best first (ties by trial number, so the order depends
 * on nothing but the history). Inactive parameters are NaN in `point`.
 */
export function rankComplete(space: SearchSpace, history: readonly HistoryTrial[], direction: Direction): Individual[] {
  const sign = direction === 'maximize' ? -1 : 1;
  return history
    .filter((t) => t.state === 'COMPLETE' && t.value !== null && Number.isFinite(t.value))
    .map((t) => ({ number: t.number, point: encodeParams(space, t.params), score: sign * (t.value as number) }))
    .sort((x, y) => x.score - y.score || x.number - y.number);
}

/**
 * With several objectives, the complete trials in NSGA-II order (constrained non-dominated fronts,
 * then crowding distance): `score` is the position, so tournament and elitism work as for one
 * objective and a steady-state NSGA-II follows.
 */
export function rankCompleteMulti(space: SearchSpace, history: readonly HistoryTrial[], objectives: readonly Direction[]): Individual[] {
  const complete = completePoints(history, objectives);
  return nsgaOrder(complete.map((c) => c.point)).map((i, position) => {
    const t = history[complete[i].index];
    return { number: t.number, point: encodeParams(space, t.params), score: position };
  });
}

/**
 * The population: the best `size` complete trials. Keeping the best is the elitism of a
 * steady-state GA (a child replaces the worst only by ranking above it), and since it is read
 * from the history, a resumed experiment continues with the same population.
 */
export function selectPopulation(ranked: readonly Individual[], size: number): Individual[] {
  return ranked.slice(0, size);
}

/**
 * Tournament selection over a population sorted best first: `size` draws with replacement, and the
 * best drawn wins. The best of n individuals wins with probability 1 − (1 − 1/n)^size.
 */
export function tournament<T>(population: readonly T[], size: number, rng: Rng): T {
  let best = rng.int(population.length);
  for (let k = 1; k < size; k++) best = Math.min(best, rng.int(population.length));
  return population[best];
}
