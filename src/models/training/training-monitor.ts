import type { Metrics } from '../metrics/metrics.types';

/**
 * What a training loop reports to and listens to while it runs: a trial's context satisfies it,
 * and so does anything else that trains a model (a benchmark, a refit).
 */
export interface TrainingMonitor {
  /** Aborted when training must stop at once (cancel, timeout). */
  readonly signal: AbortSignal;
  /** Records the metrics of a finished epoch; resolves once they are taken in. */
  report(step: number, metrics: Metrics): Promise<void>;
  /** Whether training should stop early now (an early-stopping rule said so). */
  shouldPrune(): boolean;
}
