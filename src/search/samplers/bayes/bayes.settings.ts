import { SettingRules } from '../settings-reader';
import { AcquisitionKind } from './acquisition';
import { OutputWarp, PriorMean } from './observations';

/** Settings of the `bayes` sampler (see {@link BAYES_RULES} for defaults and ranges). */
export interface BayesSettings {
  /** Space-filling points before the model takes over; 0 means max(5, d + 1). */
  initialTrials: number;
  acquisition: AcquisitionKind;
  ucbBeta: number;
  noiseFloor: number;
  candidates: number;
  localRestarts: number;
  maxModelPoints: number;
  multiModelPoints: number;
  maxFitPoints: number;
  outputWarp: OutputWarp;
  priorMean: PriorMean;
  referenceQuantile: number;
}

/** Default cap on the observations the GP posterior conditions on (above it: best half + most recent). */
export const DEFAULT_MAX_MODEL_POINTS = 400;
/**
 * Default cap on the observations each GP conditions on with several objectives: there is one GP
 * per objective (and one for constraints), and every candidate also pays for the front's boxes, so
 * the cap is lower than with one objective; past it a suggestion's GP cost stops growing with the
 * history (bench/search --multi gives the time per suggestion).
 */
export const DEFAULT_MULTI_MODEL_POINTS = 100;
/** Default cap on the observations used to fit kernel hyperparameters. */
export const DEFAULT_MAX_FIT_POINTS = 150;

/** Validation rules and defaults of the `bayes` settings. */
export const BAYES_RULES: SettingRules = {
  initialTrials: {
    type: 'integer',
    default: 0,
    min: 0,
    max: 10_000,
    description: 'space-filling (scrambled Sobol) trials before the GP is used; 0 = max(5, number of parameters + 1)',
  },
  acquisition: {
    type: 'string',
    default: 'logEI',
    values: ['logEI', 'ucb'],
    description: 'acquisition function: log expected improvement or upper confidence bound',
  },
  ucbBeta: { type: 'number', default: 2, min: 0, max: 100, description: 'UCB exploration weight (standard deviations)' },
  noiseFloor: {
    type: 'number',
    default: 1e-8,
    min: 1e-10,
    max: 1,
    description: 'lowest noise variance on standardised outputs; raise it for noisy objectives',
  },
  candidates: { type: 'integer', default: 1024, min: 16, max: 65_536, description: 'quasi-random candidates scored per suggestion' },
  localRestarts: { type: 'integer', default: 5, min: 0, max: 64, description: 'best candidates refined by local search' },
  maxModelPoints: {
    type: 'integer',
    default: DEFAULT_MAX_MODEL_POINTS,
    min: 10,
    max: 5000,
    description: 'most observations the GP conditions on; above it the best half and the most recent are kept',
  },
  multiModelPoints: {
    type: 'integer',
    default: DEFAULT_MULTI_MODEL_POINTS,
    min: 10,
    max: 5000,
    description:
      'with several objectives, most observations each GP conditions on; above it the best half by constrained front and the most recent are kept (the front itself is always scored in full)',
  },
  maxFitPoints: { type: 'integer', default: DEFAULT_MAX_FIT_POINTS, min: 10, max: 5000, description: 'most observations used to fit kernel hyperparameters' },
  outputWarp: {
    type: 'string',
    default: 'log-tail',
    values: ['none', 'log-tail', 'rank'],
    description: 'transform of results before standardising: none, log-compress the tail above the median, or normal scores of ranks',
  },
  priorMean: {
    type: 'string',
    default: 'worst',
    values: ['worst', 'average'],
    description: 'what the GP predicts far from every observation: the worst result seen (explores less at the edges of the box) or the average result',
  },
  referenceQuantile: {
    type: 'number',
    default: 0.7,
    min: 0.5,
    max: 1,
    description:
      'with several objectives, hypervolume improvement is measured from this quantile of the current front on each objective (1: its worst point), plus a tenth of its range',
  },
};

/** The initial design size for a space of `d` parameters. */
export function initialTrialCount(settings: BayesSettings, d: number): number {
  return settings.initialTrials > 0 ? settings.initialTrials : Math.max(5, d + 1);
}
