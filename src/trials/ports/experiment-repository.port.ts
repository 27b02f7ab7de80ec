import type { ExperimentSpec } from '../../config/experiment-spec.types';
import type { Direction } from '../../search/history.types';
import type { ExperimentRecord, ExperimentState } from '../trial.types';

/** Filters and paging for listing experiments. */
export interface ExperimentQuery {
  state?: ExperimentState;
  limit: number;
  offset: number;
}

/**
 * The experiments' records as the scheduler and the experiment service need them. Every state
 * change is one compare-and-set: it succeeds once, for one caller, or answers false.
 */
export interface ExperimentRepository {
  /** Stores a new RUNNING experiment owned by `owner` and returns it. */
  create(spec: ExperimentSpec, dataset: string | null, owner: string, now: number): Promise<ExperimentRecord>;
  get(id: number): Promise<ExperimentRecord | undefined>;
  /** The id of the newest experiment named `name`, if any. */
  newestIdByName(name: string): Promise<number | undefined>;
  /** The directions that experiments with `metric` as their objective optimise it in (none, one, or both), sorted. */
  directionsOfObjective(metric: string): Promise<Direction[]>;
  /** Newest first, with the total count of the filter. */
  list(query: ExperimentQuery): Promise<{ items: ExperimentRecord[]; total: number }>;
  /** Every experiment in a state, oldest first. */
  listByState(state: ExperimentState): Promise<ExperimentRecord[]>;
  /** `RUNNING →` a final state, once; clears the owner. False if it was not RUNNING. */
  finish(id: number, state: Exclude<ExperimentState, 'RUNNING'>, reason: string, now: number): Promise<boolean>;
  /**
   * Takes the experiment for `owner`, once: succeeds when nobody owns it, `owner` already does, or
   * the owner's heartbeat is older than `staleBefore` (that process is gone).
   */
  claim(id: number, owner: string, now: number, staleBefore: number): Promise<boolean>;
  /** The owner's sign of life; false when the experiment stopped or another process took it over. */
  heartbeat(id: number, owner: string, now: number): Promise<boolean>;
  /** A final experiment back to RUNNING with `spec` (resume after a cancel, or a raised budget); false if it was RUNNING. */
  reopen(id: number, spec: ExperimentSpec): Promise<boolean>;
  /** A RUNNING experiment's spec replaced (a live budget change); false if it was not RUNNING. */
  updateSpec(id: number, spec: ExperimentSpec): Promise<boolean>;
  /** RUNNING experiments nobody holds: no owner, or an owner silent since before `staleBefore`; oldest first. */
  adoptable(staleBefore: number): Promise<ExperimentRecord[]>;
  /** Gives a RUNNING experiment up (a graceful stop), so another process may adopt it at once; false if `owner` did not hold it. */
  release(id: number, owner: string): Promise<boolean>;
  /** Records the key that submitted an experiment (right after `create`). */
  setSubmitter(id: number, submitter: string): Promise<void>;
  /** How many RUNNING experiments `submitter` submitted. */
  countRunningBySubmitter(submitter: string): Promise<number>;
}
