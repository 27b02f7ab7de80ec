import { Direction, StepValue } from '../history.types';
import { readSettings, SettingRules } from '../samplers/settings-reader';
import { PeerTrial, Pruner, PRUNER_SETTINGS_PATH } from './pruner.types';

/** Settings of the ASHA pruner. */
export interface AshaSettings {
  /** Step of the first rung (before `minEarlyStoppingRate` shifts it). */
  minResource: number;
  /** η: rungs are η times apart and the top 1/η of a rung continues. */
  reductionFactor: number;
  /** s: skips the first s rungs, so the first decision comes at `minResource · η^s`. */
  minEarlyStoppingRate: number;
}

/** Default ASHA settings, the ones of Optuna's SuccessiveHalvingPruner with `min_resource: 1`. */
export const ASHA_DEFAULTS: Readonly<AshaSettings> = { minResource: 1, reductionFactor: 3, minEarlyStoppingRate: 0 };

const ASHA_RULES: SettingRules = {
  minResource: { type: 'number', default: ASHA_DEFAULTS.minResource, min: 0, exclusiveMin: true, description: 'step of the first rung' },
  reductionFactor: {
    type: 'integer',
    default: ASHA_DEFAULTS.reductionFactor,
    min: 2,
    max: 100,
    description: 'rungs are this many times apart; the top 1/reductionFactor continues',
  },
  minEarlyStoppingRate: { type: 'integer', default: ASHA_DEFAULTS.minEarlyStoppingRate, min: 0, max: 30, description: 'number of first rungs to skip' },
};

/** The step of rung `k` (0-based): `minResource · η^(k + s)`. */
export function rungStep(settings: AshaSettings, k: number): number {
  return settings.minResource * settings.reductionFactor ** (k + settings.minEarlyStoppingRate);
}

/**
 * A curve's value at a rung: the value at the first reported step at or past the rung step, so a
 * trial that reports every few steps still has a value at every rung it has passed.
 */
export function valueAtRung(curve: readonly StepValue[], rung: number): number | undefined {
  return curve.find((p) => p.step >= rung)?.value;
}

/**
 * Whether `value` is in the top 1/η of the rung's values (`others` exclude the trial itself).
 * With fewer than η trials at the rung there is no top fraction yet, and the trial continues:
 * stopping it would judge it against peers that do not exist yet. Ties continue.
 */
export function promotable(value: number, others: readonly number[], reductionFactor: number, direction: Direction): boolean {
  if (Number.isNaN(value)) return false;
  const sign = direction === 'maximize' ? -1 : 1;
  const all = [value, ...others].map((v) => sign * v).sort((a, b) => a - b);
  const keep = Math.floor(all.length / reductionFactor);
  if (keep === 0) return true;
  return sign * value <= all[keep - 1];
}

/** The rung steps newly reached by the last report: above the previous reported step, at most the last one. */
function rungsJudgedNow(settings: AshaSettings, curve: readonly StepValue[]): number[] {
  const last = curve[curve.length - 1].step;
  const previous = curve.length > 1 ? curve[curve.length - 2].step : -Infinity;
  const rungs: number[] = [];
  // The cap guards against a huge step with a tiny minResource; 64 rungs exceed any real budget.
  for (let k = 0; k < 64; k++) {
    const r = rungStep(settings, k);
    if (r > last) break;
    if (r > previous) rungs.push(r);
  }
  return rungs;
}

function peerValuesAt(peers: readonly PeerTrial[], rung: number): number[] {
  const values: number[] = [];
  for (const peer of peers) {
    const v = valueAtRung(peer.intermediate, rung);
    if (v !== undefined && !Number.isNaN(v)) values.push(v);
  }
  return values;
}

/**
 * Asynchronous successive halving (Li et al., 2020; Optuna's SuccessiveHalvingPruner). Rungs sit at
 * steps `minResource · η^(k + s)`. A trial is judged only by the report that first reaches a rung
 * (its last reported step is at or past a rung its previous report had not reached); it continues
 * when its value there is in the top 1/η of every trial that has reached that rung, itself
 * included, whatever those trials' states. Peers are compared at their first report at or past the
 * rung step, so nothing needs remembering between calls. Other reports never stop a trial.
 */
export const ashaPruner: Pruner<AshaSettings> = {
  name: 'asha',
  summary: 'Asynchronous successive halving: at rungs minResource·η^k, only the top 1/η of trials that reached the rung continue.',
  settingRules: ASHA_RULES,
  validateSettings: (settings) => readSettings<AshaSettings>(ASHA_RULES, settings, PRUNER_SETTINGS_PATH),
  shouldPrune({ direction, trial, peers, settings }) {
    const curve = trial.intermediate;
    if (curve.length === 0) return false;
    const value = curve[curve.length - 1].value;
    return rungsJudgedNow(settings, curve).some((rung) => !promotable(value, peerValuesAt(peers, rung), settings.reductionFactor, direction));
  },
};
