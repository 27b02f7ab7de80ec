import type { Params } from '../../search/space/space.types';
import type { IntermediateReport, Rejection, RepeatOf, TrialRecord, TrialResult, TrialState } from '../trial.types';

/** One point of a trial's learning curve. */
export interface CurvePoint {
  step: number;
  name: string;
  value: number;
}

/**
 * The trials' records as the scheduler writes them: create, claim, finish, report. Claiming and
 * finishing are compare-and-set (`WAITING → RUNNING` once, `RUNNING →` a final state once).
 */
export interface TrialRepository {
  /**
   * Adds a WAITING trial numbered one past the experiment's highest (numbers stay unique and
   * gap-free), optionally as a repeat of an earlier trial of the same experiment; `enqueued` when a
   * user queued its parameters.
   */
  createWaiting(experimentId: number, params: Params, repeatOf: RepeatOf | null, now: number, enqueued?: boolean): Promise<TrialRecord>;
  /**
   * `WAITING → RUNNING` as a new attempt held by `worker` until `leaseUntil`, once: resolves to the
   * attempt's number (1 for a first claim), or 0 when another caller won.
   */
  claim(trialId: number, artifactDir: string | null, worker: string, leaseUntil: number, now: number): Promise<number>;
  /** Extends the lease of every RUNNING attempt `worker` holds to `leaseUntil`; resolves to how many. */
  renewLeases(worker: string, leaseUntil: number): Promise<number>;
  /**
   * Records where attempt `attempt` of a RUNNING trial runs (a fleet worker's id), if that attempt
   * still holds the trial; true if it did. A new claim clears it.
   */
  setRunner(trialId: number, attempt: number, runner: string): Promise<boolean>;
  /**
   * `RUNNING →` a final state, once, with its final metrics (each ranked on its own), by the
   * attempt that holds the trial: false if the trial was not RUNNING or another attempt holds it.
   */
  finish(trialId: number, attempt: number, experimentId: number, result: TrialResult, now: number): Promise<boolean>;
  /**
   * Stores the reports of attempts that still hold their RUNNING trials (re-reporting a step
   * overwrites it) and advances `lastStep`; resolves to the reports it refused.
   */
  saveIntermediate(reports: readonly IntermediateReport[]): Promise<IntermediateReport[]>;
  /** Logs reports and results refused because their attempt no longer held the trial. */
  recordRejections(rejections: readonly Rejection[]): Promise<void>;
  /** The refused reports and results of a trial, oldest first. */
  rejections(trialId: number): Promise<Rejection[]>;
  /** RUNNING attempts whose lease ran out before `now`: the worker that held them stopped renewing. */
  expiredLeases(now: number): Promise<TrialRecord[]>;
  /** Marks a failed trial as retried: a retry of it was queued, so it counts once, through its retry. */
  markRetried(trialId: number): Promise<void>;
  /** Trials left RUNNING end FAILED `interrupted` (marked interrupted); returned in number order. */
  interruptRunning(experimentId: number, now: number): Promise<TrialRecord[]>;
  /** Interrupted trials (by a crash or a cancel) whose parameters have not been queued again, in number order. */
  interruptedWithoutRepeat(experimentId: number): Promise<TrialRecord[]>;
  /** Trials of an experiment in the given states, in number order. */
  inStates(experimentId: number, states: readonly TrialState[]): Promise<TrialRecord[]>;
  /** Intermediate values of one metric of every trial of an experiment, by trial id, in step order. */
  metricCurves(experimentId: number, metric: string): Promise<Map<number, { step: number; value: number }[]>>;
  /** Every intermediate value of one trial, by step then name. */
  curve(trialId: number): Promise<CurvePoint[]>;
}
