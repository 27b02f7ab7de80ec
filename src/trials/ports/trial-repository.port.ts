import type { Params } from '../../search/space/space.types';
import type { IntermediateReport, TrialRecord, TrialResult, TrialState } from '../trial.types';

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
   * gap-free), optionally as a repeat of an earlier trial of the same experiment.
   */
  createWaiting(experimentId: number, params: Params, repeatOf: Pick<TrialRecord, 'id' | 'number'> | null, now: number): Promise<TrialRecord>;
  /** `WAITING → RUNNING`, once: true only for the caller that won. */
  claim(trialId: number, artifactDir: string | null, now: number): Promise<boolean>;
  /** `RUNNING →` a final state, once, with its final metrics (each ranked on its own). False if it was not RUNNING. */
  finish(trialId: number, experimentId: number, result: TrialResult, now: number): Promise<boolean>;
  /** Stores a batch of intermediate reports (re-reporting a step overwrites it) and advances `lastStep`. */
  saveIntermediate(reports: readonly IntermediateReport[]): Promise<void>;
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
