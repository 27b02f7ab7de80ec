import type { Direction } from '../../search/history.types';
import type { TrialRecord, TrialState } from '../trial.types';

/** Listing trials of one experiment: a state filter, an order, and a cursor from the previous page. */
export interface TrialPageQuery {
  state?: TrialState;
  sort: 'number' | 'objective';
  direction: Direction;
  limit: number;
  cursor?: string;
}

/** What the dashboard keeps of a trial: the fields its views read, no metrics, error or paths (a narrow read of 100,000 rows). */
export type TrialChange = Pick<
  TrialRecord,
  'id' | 'number' | 'state' | 'params' | 'value' | 'startedAt' | 'finishedAt' | 'worker' | 'runner' | 'failure' | 'lastStep' | 'attempt'
>;

/** One ranked trial, with the value it was ranked by. */
export interface RankedTrial {
  trial: TrialRecord;
  rankValue: number;
  experimentName?: string;
}

/**
 * Read-side queries over trials: pages, counts and leaderboards. A page cursor is opaque and
 * belongs to the listing it was made for: one from another experiment, state or order is refused
 * with a RangeError.
 */
export interface TrialQueryRepository {
  byNumber(experimentId: number, number: number): Promise<TrialRecord | undefined>;
  /** The trial that runs the parameters of trial `trialId` again (after an interruption, or as a retry), if any. */
  repeatOf(experimentId: number, trialId: number): Promise<TrialRecord | undefined>;
  countsByState(experimentId: number): Promise<Record<TrialState, number>>;
  /** A page of trials and the cursor of the next page (absent on the last). Objective order puts trials without a value last, ties by number. */
  page(experimentId: number, query: TrialPageQuery): Promise<{ items: TrialRecord[]; nextCursor?: string }>;
  /** The best trials of one experiment in `states` (COMPLETE unless given): by the stored objective value, or by a final metric. Ties by number. */
  leaderboard(experimentId: number, metric: string | undefined, direction: Direction, limit: number, states?: TrialState[]): Promise<RankedTrial[]>;
  /**
   * What changed in an experiment since a reader last looked: trials numbered after `afterNumber`,
   * trials not final yet (WAITING, RUNNING), and trials that finished at or after `finishedSince`
   * (epoch ms); in number order. The dashboard keeps its copy of 100,000 trials fresh with it.
   */
  changedSince(experimentId: number, afterNumber: number, finishedSince: number): Promise<TrialChange[]>;
  /**
   * The first `limit` trials numbered after `afterNumber`, in number order: the dashboard's first
   * read of an experiment, in chunks, so that no single statement holds the database (and, on
   * SQLite, the event loop) for the whole of a large experiment.
   */
  trialsAfter(experimentId: number, afterNumber: number, limit: number): Promise<TrialChange[]>;
  /** Milliseconds of trial time an experiment has spent: every started trial's run, running ones up to `now`. */
  computeMs(experimentId: number, now: number): Promise<number>;
  /** The names of the final metrics an experiment's trials recorded, sorted. */
  finalMetricNames(experimentId: number): Promise<string[]>;
  /** The best COMPLETE trials across experiments by one final metric, optionally on one dataset label. Ties by trial id. */
  globalLeaderboard(metric: string, direction: Direction, limit: number, dataset?: string): Promise<RankedTrial[]>;
}
