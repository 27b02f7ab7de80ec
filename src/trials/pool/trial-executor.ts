import type { Metrics } from '../../models/metrics/metrics.types';
import type { TrialTask, TrialTaskResult } from './worker-protocol';

/** How a trial run ended, as the scheduler sees it. */
export type PoolRunResult = { ok: true; outcome: TrialTaskResult } | { ok: false; reason: 'error' | 'timeout' | 'cancelled'; message: string };

/** Called for each intermediate report; resolves to the pruner's decision. */
export type ReportHandler = (step: number, metrics: Metrics) => Promise<boolean>;

/** Options of one run. */
export interface PoolRunOptions {
  timeoutMs: number;
  signal: AbortSignal;
  onReport: ReportHandler;
}

/** What the scheduler hands a trial to run: everything but the worker's end of its channel. */
export type TrialRunRequest = Omit<TrialTask, 'port'>;

/**
 * Where trials run: the piscina pool of worker threads in production, an in-process fake in unit
 * tests. `run` never rejects: a trial that throws, times out or is cancelled settles as a failure.
 */
export interface TrialExecutor {
  /** How many trials it runs at once. */
  readonly size: number;
  run(task: TrialRunRequest, options: PoolRunOptions): Promise<PoolRunResult>;
  destroy(): Promise<void>;
}

/** Makes an executor with `slots` slots for one experiment. */
export type ExecutorFactory = (slots: number) => TrialExecutor;
