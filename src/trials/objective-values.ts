import { ExperimentSpec, ObjectiveConfig } from '../config/experiment-spec.types';
import { Direction } from '../search/history.types';
import { Metrics } from '../models/metrics/metrics.types';

/** The experiment's objectives: `objectives`, or the one `objective`. */
export function objectivesOf(spec: Pick<ExperimentSpec, 'objective' | 'objectives'>): ObjectiveConfig[] {
  return spec.objectives ?? [spec.objective];
}

/** The directions a sampler ranks by constrained domination with, or undefined for one objective without constraints. */
export function paretoDirections(spec: Pick<ExperimentSpec, 'objective' | 'objectives' | 'constraints'>): Direction[] | undefined {
  if (!spec.objectives && !spec.constraints?.length) return undefined;
  return objectivesOf(spec).map((o) => o.direction);
}

/** Each objective's value in a trial's metrics (null where missing or not finite). */
export function objectiveValues(spec: Pick<ExperimentSpec, 'objective' | 'objectives'>, metrics: Metrics | null): (number | null)[] {
  return objectivesOf(spec).map((o) => {
    const v = metrics?.[o.metric];
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  });
}

/**
 * How far a trial's metrics break the constraints, summed over them (0 when it meets them all);
 * a constrained metric that is missing counts as broken by 1, so such a trial never ranks as feasible.
 */
export function constraintViolation(spec: Pick<ExperimentSpec, 'constraints'>, metrics: Metrics | null): number {
  let total = 0;
  for (const c of spec.constraints ?? []) {
    const v = metrics?.[c.metric];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      total += 1;
      continue;
    }
    if (c.max !== undefined && v > c.max) total += v - c.max;
    if (c.min !== undefined && v < c.min) total += c.min - v;
  }
  return total;
}
