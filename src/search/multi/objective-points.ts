import { Direction, HistoryTrial } from '../history.types';
import { RankedPoint } from './pareto';

/**
 * Whether a suggestion request ranks trials by constrained domination: it has several objectives,
 * or constraints (then `objectives` is given even for one).
 */
export function paretoRanked(objectives: readonly Direction[] | undefined): objectives is readonly Direction[] {
  return objectives !== undefined && objectives.length > 0;
}

/** A trial's objective values as losses (maximised ones negated), or undefined unless every one is finite. */
export function lossesOf(values: readonly (number | null)[] | undefined, objectives: readonly Direction[]): number[] | undefined {
  if (!values || values.length !== objectives.length) return undefined;
  const out: number[] = [];
  for (let k = 0; k < objectives.length; k++) {
    const v = values[k];
    if (typeof v !== 'number' || !Number.isFinite(v)) return undefined;
    out.push(objectives[k] === 'maximize' ? -v : v);
  }
  return out;
}

/** The complete trials with every objective value, as points to rank, with their index in `history`. */
export function completePoints(history: readonly HistoryTrial[], objectives: readonly Direction[]): { index: number; point: RankedPoint }[] {
  const out: { index: number; point: RankedPoint }[] = [];
  history.forEach((t, index) => {
    if (t.state !== 'COMPLETE') return;
    const losses = lossesOf(t.values, objectives);
    if (losses) out.push({ index, point: { losses, violation: Math.max(0, t.violation ?? 0) } });
  });
  return out;
}
