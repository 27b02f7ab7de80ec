import { logExpectedImprovement } from '../../numeric/normal';

/** Which acquisition function scores candidates. */
export type AcquisitionKind = 'logEI' | 'ucb';

/** What an acquisition needs besides the prediction. */
export interface AcquisitionConfig {
  kind: AcquisitionKind;
  /** Best (lowest) standardised observed value, for expected improvement. */
  best: number;
  /** Exploration weight of UCB: mean − beta·sd is minimised. */
  beta: number;
}

/** An acquisition value (higher is better) and its derivatives with respect to mean and variance. */
export interface AcquisitionValue {
  value: number;
  dMean: number;
  dVariance: number;
}

/**
 * Scores a latent prediction `N(mean, variance)` of a minimised, standardised objective. Log EI is
 * finite far from the incumbent, where plain EI underflows to 0 and gives the optimiser no slope.
 */
export function acquisition(mean: number, variance: number, cfg: AcquisitionConfig): AcquisitionValue {
  const sd = Math.sqrt(variance);
  if (cfg.kind === 'ucb') return { value: -mean + cfg.beta * sd, dMean: -1, dVariance: cfg.beta / (2 * sd) };
  const r = logExpectedImprovement(mean, sd, cfg.best);
  return { value: r.value, dMean: r.dMean, dVariance: r.dSd / (2 * sd) };
}
