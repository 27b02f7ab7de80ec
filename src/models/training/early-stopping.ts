import type { Metrics } from '../metrics/metrics.types';

/** Stop a trial's training once `metric` has not improved by more than `minDelta` for `patience` epochs. */
export interface EarlyStopping {
  /** A validation metric the model reports each epoch. */
  metric: string;
  /** Epochs without improvement before training stops (≥ 1). */
  patience: number;
  /** The least change that counts as an improvement (≥ 0). */
  minDelta: number;
}

/** The metric early stopping watches when the config names none. */
export const DEFAULT_EARLY_STOPPING_METRIC = 'val_loss';
/** Epochs without improvement before a trial stops, when the config says nothing. */
export const DEFAULT_EARLY_STOPPING_PATIENCE = 10;
/** Smallest improvement that resets the patience, when the config says nothing. */
export const DEFAULT_EARLY_STOPPING_MIN_DELTA = 0;
/** Early stopping as `model: auto` applies it unless the config says otherwise. */
export const DEFAULT_EARLY_STOPPING: EarlyStopping = {
  metric: DEFAULT_EARLY_STOPPING_METRIC,
  patience: DEFAULT_EARLY_STOPPING_PATIENCE,
  minDelta: DEFAULT_EARLY_STOPPING_MIN_DELTA,
};

/** The validation metrics that improve downwards; every other one (accuracy, F1, AUC, R²) improves upwards. */
const LOWER_IS_BETTER = new Set(['val_loss', 'val_rmse', 'val_mae']);

/** What the tracker says after an epoch. */
export type EarlyStoppingVerdict = 'improved' | 'waiting' | 'stop';

/**
 * Follows one metric over epochs: says when an epoch is the best so far (so its weights are kept)
 * and when `patience` epochs have passed without an improvement of more than `minDelta`.
 */
export class EarlyStoppingTracker {
  private best = Number.NaN;
  private sinceBest = 0;
  /** The epoch of the best value seen (0 before any). */
  bestEpoch = 0;
  /** The metrics of that epoch. */
  bestMetrics: Metrics = {};
  private readonly sign: number;

  constructor(private readonly rule: EarlyStopping) {
    this.sign = LOWER_IS_BETTER.has(rule.metric) ? -1 : 1;
  }

  /** Takes in an epoch's metrics. A NaN value never counts as an improvement. */
  observe(epoch: number, metrics: Metrics): EarlyStoppingVerdict {
    const value = metrics[this.rule.metric];
    if (value === undefined)
      throw new Error(`early stopping watches ${this.rule.metric}, which the model does not report (${Object.keys(metrics).join(', ')})`);
    const improved = Number.isFinite(value) && (Number.isNaN(this.best) || this.sign * (value - this.best) > this.rule.minDelta);
    if (improved) {
      this.best = value;
      this.bestEpoch = epoch;
      this.bestMetrics = metrics;
      this.sinceBest = 0;
      return 'improved';
    }
    this.sinceBest++;
    return this.sinceBest >= this.rule.patience ? 'stop' : 'waiting';
  }
}
