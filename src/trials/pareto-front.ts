import { ExperimentSpec, ObjectiveConfig } from '../config/experiment-spec.types';
import { BadRequestError } from '../domain/errors';
import { hypervolume } from '../search/multi/hypervolume';
import { dominates } from '../search/multi/pareto';
import { constraintViolation, objectiveValues, objectivesOf } from './objective-values';
import { TrialRecord } from './trial.types';
import { TrialView, trialView } from './views';

/**
 * How far past the worst complete value on each objective the default reference point lies, as a
 * share of that objective's range (1 where the range is 0): every front point then adds volume.
 */
export const REFERENCE_MARGIN = 0.1;

/** One trial of the Pareto front. */
export interface ParetoRow {
  trial: TrialView;
  /** Its objective values, in the order of `objectives`. */
  values: number[];
}

/** An experiment's Pareto front: the feasible complete trials no other dominates, with the hypervolume they span. */
export interface ParetoFrontView {
  objectives: ObjectiveConfig[];
  constraints: NonNullable<ExperimentSpec['constraints']>;
  /** The point the hypervolume is measured against, in objective units. */
  reference: number[];
  /** Whether the reference point was given (`reference=`) or derived from the trials. */
  referenceGiven: boolean;
  hypervolume: number;
  /** Complete trials with every objective value, and how many of them meet the constraints. */
  complete: number;
  feasible: number;
  front: ParetoRow[];
}

const sign = (o: ObjectiveConfig): number => (o.direction === 'maximize' ? -1 : 1);

/** The default reference point: a margin past the worst value seen on each objective. */
function derivedReference(objectives: readonly ObjectiveConfig[], values: readonly number[][]): number[] {
  return objectives.map((o, k) => {
    const column = values.map((v) => v[k]);
    if (column.length === 0) return 0;
    const lo = Math.min(...column);
    const hi = Math.max(...column);
    const margin = hi > lo ? REFERENCE_MARGIN * (hi - lo) : 1;
    return o.direction === 'maximize' ? lo - margin : hi + margin;
  });
}

/**
 * The Pareto front of an experiment's complete trials, feasible ones only (all of them when none
 * is). Non-dominated filtering compares each trial with the current front only, so it costs
 * O(n × front size), not O(n²). Ties in value keep the lower trial number.
 */
export function paretoFront(spec: ExperimentSpec, trials: readonly TrialRecord[], reference?: readonly number[]): ParetoFrontView {
  const objectives = objectivesOf(spec);
  if (reference && reference.length !== objectives.length)
    throw new BadRequestError([{ path: 'reference', message: `needs ${objectives.length} numbers, one per objective` }]);
  const rows = trials
    .filter((t) => t.state === 'COMPLETE')
    .map((t) => ({ t, values: objectiveValues(spec, t.metrics), feasible: constraintViolation(spec, t.metrics) === 0 }))
    .filter((r): r is { t: TrialRecord; values: number[]; feasible: boolean } => r.values.every((v) => v !== null));
  const feasible = rows.filter((r) => r.feasible);
  const pool = (feasible.length > 0 ? feasible : rows).map((r) => ({ ...r, losses: r.values.map((v, k) => sign(objectives[k]) * v) }));
  pool.sort((a, b) => a.losses.reduce((s, v) => s + v, 0) - b.losses.reduce((s, v) => s + v, 0) || a.t.number - b.t.number);
  const front: typeof pool = [];
  for (const r of pool) {
    if (front.some((f) => dominates(f.losses, r.losses) || f.losses.every((v, k) => v === r.losses[k]))) continue;
    for (let i = front.length - 1; i >= 0; i--) if (dominates(r.losses, front[i].losses)) front.splice(i, 1);
    front.push(r);
  }
  front.sort((a, b) => a.losses[0] - b.losses[0] || a.t.number - b.t.number);
  const ref = reference
    ? [...reference]
    : derivedReference(
        objectives,
        pool.map((r) => r.values),
      );
  const refLoss = ref.map((v, k) => sign(objectives[k]) * v);
  return {
    objectives,
    constraints: spec.constraints ?? [],
    reference: ref,
    referenceGiven: reference !== undefined,
    hypervolume: hypervolume(
      front.map((f) => f.losses),
      refLoss,
    ),
    complete: rows.length,
    feasible: feasible.length,
    front: front.map((f) => ({ trial: trialView(f.t), values: f.values })),
  };
}
