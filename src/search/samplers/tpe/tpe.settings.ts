import { SettingRules } from '../settings-reader';

/** Settings of the `tpe` sampler, defaults filled in (see {@link TPE_RULES}). */
export interface TpeSettings {
  /** Finished trials sampled uniformly at random before the Parzen estimators are used. */
  nStartupTrials: number;
  /** Candidates drawn from the good-group estimator per suggestion; the best ratio l(x)/g(x) wins. */
  nEiCandidates: number;
  /** Weight of the prior component (a wide kernel at the centre of the cube) in each estimator. */
  priorWeight: number;
  /** One joint kernel over the parameters of a group (true), or one estimator per parameter (false). */
  multivariate: boolean;
  /** With `multivariate`, parameters that are active together are modelled together; otherwise only those active in every trial are, and the rest one by one. */
  group: boolean;
  /** Trials in flight count as bad results, so parallel suggestions spread out. */
  constantLiar: boolean;
  /**
   * Kernel widths of a joint (multivariate) estimator: `neighbour` sizes each kernel, per
   * dimension, by the gaps to its neighbours (Optuna's univariate rule); `scott` gives every
   * kernel Optuna's multivariate width 0.2·n^(-1/(D+4)).
   */
  bandwidth: 'neighbour' | 'scott';
  /** Lower bound on every bandwidth that shrinks as observations grow (Optuna's "magic clip"), so no kernel collapses to a spike. */
  magicClip: boolean;
}

/**
 * Optuna's defaults (3.x), except `multivariate`, `group` and `constantLiar`, which Optuna leaves
 * off, and `bandwidth`: with normalised densities, Optuna's multivariate (Scott) widths were worse
 * than its univariate neighbour rule inside the joint kernel on every function of bench/search
 * (docs/BENCHMARKS.md), so the joint kernel takes the neighbour widths by default.
 */
export const TPE_DEFAULTS: Readonly<TpeSettings> = {
  nStartupTrials: 10,
  nEiCandidates: 24,
  priorWeight: 1,
  multivariate: true,
  group: true,
  bandwidth: 'neighbour',
  constantLiar: true,
  magicClip: true,
};

/** The rule table `readSettings` checks `tpe` settings against. */
export const TPE_RULES: SettingRules = {
  nStartupTrials: {
    type: 'integer',
    default: TPE_DEFAULTS.nStartupTrials,
    min: 0,
    max: 10_000,
    description: 'finished trials of uniform random sampling before the model is used',
  },
  nEiCandidates: {
    type: 'integer',
    default: TPE_DEFAULTS.nEiCandidates,
    min: 1,
    max: 10_000,
    description: 'candidates drawn from the good-trial density per suggestion; the best density ratio is suggested',
  },
  priorWeight: {
    type: 'number',
    default: TPE_DEFAULTS.priorWeight,
    min: 0,
    exclusiveMin: true,
    max: 1000,
    description: 'weight of the wide prior kernel in each Parzen estimator',
  },
  multivariate: {
    type: 'boolean',
    default: TPE_DEFAULTS.multivariate,
    description: 'one joint kernel over the parameters (true) or independent per-parameter estimators (false)',
  },
  group: {
    type: 'boolean',
    default: TPE_DEFAULTS.group,
    description: 'with multivariate: model parameters that are active together jointly (conditional spaces); ignored otherwise',
  },
  bandwidth: {
    type: 'string',
    default: TPE_DEFAULTS.bandwidth,
    values: ['neighbour', 'scott'],
    description: "kernel widths of the joint estimator: from each kernel's neighbours per dimension, or Optuna's multivariate 0.2·n^(-1/(D+4))",
  },
  constantLiar: { type: 'boolean', default: TPE_DEFAULTS.constantLiar, description: 'count trials in flight as bad results so parallel suggestions differ' },
  magicClip: { type: 'boolean', default: TPE_DEFAULTS.magicClip, description: 'keep bandwidths above 1/min(100, n + 2) of the range' },
};

/** Optuna's default split: the best ceil(n/10) finished trials, at most 25, form the good group. */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/**
 * Optuna's default observation weights, oldest first: 1 each below 25 observations; above, the
 * 25 most recent weigh 1 and older ones ramp linearly from 1/n up, so the estimators follow
 * where the search is now.
 */
export function defaultWeights(n: number): Float64Array {
  const w = new Float64Array(n).fill(1);
  if (n < 25) return w;
  const ramp = n - 25;
  // numpy.linspace(1/n, 1, num=ramp): endpoints included; a single point is the start.
  for (let i = 0; i < ramp; i++) w[i] = ramp === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (ramp - 1);
  return w;
}
