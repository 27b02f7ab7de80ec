import { Direction, StepValue } from '../history.types';
import { readSettings, SettingRules } from '../samplers/settings-reader';
import { Pruner, PRUNER_SETTINGS_PATH } from './pruner.types';

/** Settings of the median pruner. */
export interface MedianSettings {
  /** No trial is stopped while its last reported step is below this. */
  warmupSteps: number;
  /** How many other trials must have reported at a step before anyone is judged there. */
  minTrials: number;
}

/** Default median-pruner settings. */
export const MEDIAN_DEFAULTS: Readonly<MedianSettings> = { warmupSteps: 0, minTrials: 5 };

const MEDIAN_RULES: SettingRules = {
  warmupSteps: { type: 'integer', default: MEDIAN_DEFAULTS.warmupSteps, min: 0, description: 'never stop a trial before this step' },
  minTrials: {
    type: 'integer',
    default: MEDIAN_DEFAULTS.minTrials,
    min: 1,
    max: 10_000,
    description: 'other trials that must have reported at a step before judging it',
  },
};

/** The best value of a curve over steps up to `step` (inclusive); NaN values are skipped. */
export function bestUpTo(curve: readonly StepValue[], step: number, direction: Direction): number | undefined {
  let best: number | undefined;
  for (const p of curve) {
    if (p.step > step) break;
    if (Number.isNaN(p.value)) continue;
    if (best === undefined || (direction === 'maximize' ? p.value > best : p.value < best)) best = p.value;
  }
  return best;
}

/** The median of a non-empty list (mean of the two middle values for an even length). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Stops a trial whose best value so far is worse than the median, over the other trials that
 * reported at the same step, of those trials' best values up to that step (Optuna's MedianPruner,
 * except that peers of every state count, so running trials inform decisions as early as they can).
 * Waits for `warmupSteps` and for `minTrials` peers at the step. Ties continue; a trial whose every
 * value is NaN is stopped, as Optuna does.
 */
export const medianPruner: Pruner<MedianSettings> = {
  name: 'median',
  summary: "Stops a trial whose best value so far is worse than the median of other trials' at the same step.",
  settingRules: MEDIAN_RULES,
  validateSettings: (settings) => readSettings<MedianSettings>(MEDIAN_RULES, settings, PRUNER_SETTINGS_PATH),
  shouldPrune({ direction, trial, peers, settings }) {
    const curve = trial.intermediate;
    if (curve.length === 0) return false;
    const step = curve[curve.length - 1].step;
    if (step < settings.warmupSteps) return false;
    const others: number[] = [];
    for (const peer of peers) {
      if (!peer.intermediate.some((p) => p.step === step)) continue;
      const best = bestUpTo(peer.intermediate, step, direction);
      if (best !== undefined) others.push(best);
    }
    if (others.length < settings.minTrials) return false;
    const own = bestUpTo(curve, step, direction);
    if (own === undefined) return true;
    const m = median(others);
    return direction === 'maximize' ? own < m : own > m;
  },
};
