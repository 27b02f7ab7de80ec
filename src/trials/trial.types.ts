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
  /** The process running it (while RUNNING), and when that process last confirmed it. */
  owner: string | null;
  heartbeatAt: number | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
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
}

/** One intermediate report of a trial. */
export interface IntermediateReport {
  trialId: number;
  step: number;
  metrics: Metrics;
}
