import { ExperimentSpec } from '../config/experiment-spec.types';
import { BadRequestError } from '../domain/errors';
import { HistoryTrial } from '../search/history.types';
import { membershipProblems } from '../search/space/membership';
import { constraintViolation, objectiveValues, paretoDirections } from './objective-values';
import { ExperimentStore } from './ports/experiment-store.port';

/** Where a warm start is named in a config; the path of its problems. */
export const WARM_START_PATH = 'search.warmStart.experiment';

/**
 * Checks that a warm start's source exists and searches a compatible space: the same parameter
 * names, each of the same type (bounds may differ; trials outside this space are left out).
 */
export async function checkWarmStart(spec: ExperimentSpec, store: ExperimentStore): Promise<void> {
  const id = spec.search.warmStart?.experiment;
  if (id === undefined) return;
  const source = await store.experiments.get(id);
  if (!source) throw new BadRequestError([{ path: WARM_START_PATH, message: `experiment ${id} not found` }]);
  const ours = Object.keys(spec.space).sort();
  const theirs = Object.keys(source.spec.space).sort();
  const differs = ours.length !== theirs.length || ours.some((n, i) => n !== theirs[i] || spec.space[n].type !== source.spec.space[n].type);
  if (differs)
    throw new BadRequestError([
      { path: WARM_START_PATH, message: `experiment ${id} searches other parameters (${theirs.join(', ')}); a warm start needs the same names and types` },
    ]);
}

/**
 * The warm start's finished trials as history: complete and pruned ones (failed ones say nothing
 * of their parameters' value here) whose parameters lie in this space, with this experiment's
 * objectives read from their metrics. Ids are theirs, so they never collide with this experiment's.
 */
export async function warmStartHistory(spec: ExperimentSpec, store: ExperimentStore): Promise<HistoryTrial[]> {
  const id = spec.search.warmStart?.experiment;
  if (id === undefined) return [];
  const pareto = paretoDirections(spec);
  const finished = await store.trials.inStates(id, ['COMPLETE', 'PRUNED']);
  return finished
    .filter((t) => !t.interrupted && membershipProblems(spec.space, t.params).length === 0)
    .map((t) => {
      const v = t.metrics?.[spec.objective.metric];
      const value = typeof v === 'number' && Number.isFinite(v) ? v : null;
      return {
        id: t.id,
        number: t.number,
        state: value === null ? 'PRUNED' : t.state === 'COMPLETE' ? 'COMPLETE' : 'PRUNED',
        params: t.params,
        value,
        intermediate: [],
        ...(pareto ? { values: objectiveValues(spec, t.metrics), violation: constraintViolation(spec, t.metrics) } : {}),
      };
    });
}
