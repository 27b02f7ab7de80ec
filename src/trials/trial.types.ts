import { ExperimentSpec } from '../config/experiment-spec.types';
import { Params } from '../search/space/space.types';
import { Metrics } from '../models/metrics/metrics.types';

/** Where a trial stands. `WAITING → RUNNING` is claimed once; `RUNNING →` a final state once. */
export type TrialState = 'WAITING' | 'RUNNING' | 'COMPLETE' | 'PRUNED' | 'FAILED';

/** Every trial state, for validating filters. */
export const TRIAL_STATES: readonly TrialState[] = ['WAITING', 'RUNNING', 'COMPLETE', 'PRUNED', 'FAILED'];

/** Where an experiment stands. */
export type ExperimentState = 'RUNNING' | 'COMPLETE' | 'CANCELLED' | 'FAILED';

/** Every experiment state, for validating filters. */
export const EXPERIMENT_STATES: readonly ExperimentState[] = ['RUNNING', 'COMPLETE', 'CANCELLED', 'FAILED'];

/** A stored experiment as the rest of the service sees it. */
export interface ExperimentRecord {
  id: number;
  name: string;
  state: ExperimentState;
  spec: ExperimentSpec;
  dataset: string | null;
  stopReason: string | null;
  /** What the registry did with it when it ended (its `registry:` section), as the registry recorded it. */
  promotion: Readonly<Record<string, unknown>> | null;
  /** The model it ended with, scored once on the dataset's test rows, as the registry recorded it. */
  testScore: Readonly<Record<string, unknown>> | null;
  /** The process running it (while RUNNING), and when that process last confirmed it. */
  owner: string | null;
  heartbeatAt: number | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** The key (its name) that submitted it over the network; null for the CLI or an open service. */
  submittedBy: string | null;
}

/**
 * Why a trial failed: `error` (it threw, exited non-zero, or reported no objective), `timeout`,
 * `crash` (its thread or process died), `lost` (the worker that held it stopped renewing its lease),
 * `oom` (it went past its memory bound), `cancelled` and `interrupted` (stopped from outside: not
 * its fault, run again on resume).
 */
export type FailureKind = 'error' | 'timeout' | 'crash' | 'lost' | 'oom' | 'cancelled' | 'interrupted';

/** Every failure kind, for validating filters. */
export const FAILURE_KINDS: readonly FailureKind[] = ['error', 'timeout', 'crash', 'lost', 'oom', 'cancelled', 'interrupted'];

/** Why a trial runs the parameters of an earlier one again. */
export type RepeatReason = 'interrupted' | 'retry';

/** What a repeat says of the trial it repeats: which one, why, and how deep in its retry chain it is. */
export interface RepeatOf {
  id: number;
  number: number;
  reason: RepeatReason;
  /** The repeat's own retry number (the repeated trial's, plus one for a retry). */
  retryNumber: number;
}

/** A stored trial as the rest of the service sees it; identified by `id`. */
export interface TrialRecord {
  id: number;
  experimentId: number;
  number: number;
  state: TrialState;
  params: Params;
  metrics: Metrics | null;
  value: number | null;
  error: string | null;
  interrupted: boolean;
  /** The id of the trial whose parameters this one runs again (internal; users see {@link repeatOfNumber}). */
  repeatOf: number | null;
  /** The number of that trial. */
  repeatOfNumber: number | null;
  /** Why it repeats that trial: it was interrupted, or it failed and the retry policy runs it again. */
  repeatReason: RepeatReason | null;
  /** Set on a failed trial whose retry was queued: it counts neither against the budget nor against `maxFailedTrials`. */
  retried: boolean;
  /** How many retries separate it from the trial its chain started with (0 for a first run). */
  retryNumber: number;
  /** Its parameters were queued by a user (`hpo enqueue`), not suggested; repeats of such a trial keep the mark. */
  enqueued: boolean;
  /** Why it failed (null unless FAILED). */
  failure: FailureKind | null;
  /**
   * How many times it was claimed to run (1 for a trial that ran once). Every report and result
   * carries the attempt that produced it, and is refused unless that attempt still holds the trial.
   */
  attempt: number;
  /** The worker that holds the running attempt (this process's owner id for the local pool). */
  worker: string | null;
  /** Until when that worker's lease on the attempt runs, unless renewed (epoch ms). */
  leaseUntil: number | null;
  /** Where the attempt runs when not in the holder's own pool: the fleet worker that took it from the queue (null until it is heard from). */
  runner: string | null;
  backend: string | null;
  lastStep: number | null;
  artifactDir: string | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

/** How a trial ended, as the scheduler records it. */
export interface TrialResult {
  state: 'COMPLETE' | 'PRUNED' | 'FAILED';
  metrics: Metrics | null;
  value: number | null;
  error: string | null;
  backend: string | null;
  lastStep: number | null;
  artifactDir: string | null;
  /**
   * True when the trial was stopped by a cancel rather than by anything it did: it is kept for the
   * record but not counted against the budget, and a resume runs its parameters again.
   */
  interrupted?: boolean;
  /** Why it failed, when it did. */
  failure?: FailureKind;
}

/** One intermediate report of a trial, from the attempt that made it. */
export interface IntermediateReport {
  trialId: number;
  attempt: number;
  step: number;
  metrics: Metrics;
}

/** A report or result refused because the attempt that sent it no longer held its trial (fencing). */
export interface Rejection {
  trialId: number;
  attempt: number;
  kind: 'report' | 'result';
  detail: string;
  at: number;
}
