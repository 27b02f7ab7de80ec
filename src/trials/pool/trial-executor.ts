import type { Metrics } from '../../models/metrics/metrics.types';
import type { TrialTask, TrialTaskResult } from './worker-protocol';

/**
 * Why a run ended without an outcome: it threw (`error`), ran past its timeout, was cancelled,
 * was interrupted (a graceful stop of the process), its thread died (`crash`), or it went past its
 * memory bound (`oom`).
 */
export type RunFailure = 'error' | 'timeout' | 'cancelled' | 'interrupted' | 'crash' | 'oom';

/** How a trial run ended, as the scheduler sees it. */
export type PoolRunResult = { ok: true; outcome: TrialTaskResult } | { ok: false; reason: RunFailure; message: string };

/** What aborting a run's signal with this reason means: a graceful stop rather than a cancel. */
export const INTERRUPT_REASON = 'interrupted';

/** Called for each intermediate report; resolves to the pruner's decision. */
export type ReportHandler = (step: number, metrics: Metrics) => Promise<boolean>;

/** Options of one run. */
export interface PoolRunOptions {
  timeoutMs: number;
  /** Aborts the run: a cancel, or with reason {@link INTERRUPT_REASON} a graceful stop. */
  signal: AbortSignal;
  onReport: ReportHandler;
}

/** What the scheduler hands a trial to run: everything but the worker's end of its channel and the bound its pool sets. */
export type TrialRunRequest = Omit<TrialTask, 'port' | 'memoryMb'>;

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

/** Makes an executor of `slots` threads whose trials each have at most `memoryMb` of heap. */
export type ExecutorFactory = (slots: number, memoryMb: number) => TrialExecutor;
