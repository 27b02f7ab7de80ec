import { minimizeLbfgs } from '../../numeric/lbfgs';
import { DEFAULT_PRIOR, GpData, negLogPosterior } from './marginal-likelihood';

/** Bounds of the log-hyperparameters; the noise's lower bound is the settable floor. */
const LOG_LENGTH_BOUNDS: [number, number] = [Math.log(5e-3), Math.log(2e2)];
const LOG_SIGNAL_BOUNDS: [number, number] = [Math.log(1e-3), Math.log(1e2)];
/**
 * Noise may explain at most a quarter of the standardised variance: a model that calls a rugged
 * objective mostly noise stops telling the search where to go (seen on Ackley in bench/search).
 */
export const MAX_NOISE_VARIANCE = 0.25;
const LOG_NOISE_MAX = Math.log(MAX_NOISE_VARIANCE);

/** Default starting points: a short and a long length-scale guess, moderate noise. */
export function defaultStarts(d: number, noiseFloor: number): Float64Array[] {
  const noise = Math.log(Math.max(1e-3, noiseFloor));
  return [0.5, 0.15].map((scale) => {
    const theta = new Float64Array(d + 2);
    for (let j = 0; j < d; j++) theta[j] = Math.log(scale * Math.sqrt(Math.max(1, d)));
    theta[d] = 0;
    theta[d + 1] = noise;
    return theta;
  });
}

/** Options of {@link fitHyperparameters}. */
export interface FitOptions {
  noiseFloor: number;
  /** Starting points tried in order; the best optimum wins. */
  starts: Float64Array[];
  maxIterations: number;
}

/** The fitted log-hyperparameters and the negative log posterior they reach. */
export interface FitResult {
  theta: Float64Array;
  value: number;
}

/**
 * MAP fit of the kernel hyperparameters by bounded L-BFGS on their logs, from each given start.
 * When every start fails (non-finite objective) the defaults are tried; when those fail too, the
 * first default is returned unfitted, so the caller always gets usable hyperparameters.
 */
export function fitHyperparameters(data: GpData, options: FitOptions): FitResult {
  const { d } = data;
  const prior = DEFAULT_PRIOR;
  const lower = new Float64Array(d + 2);
  const upper = new Float64Array(d + 2);
  for (let j = 0; j < d; j++) [lower[j], upper[j]] = LOG_LENGTH_BOUNDS;
  [lower[d], upper[d]] = LOG_SIGNAL_BOUNDS;
  lower[d + 1] = Math.log(options.noiseFloor);
  upper[d + 1] = Math.max(LOG_NOISE_MAX, lower[d + 1]);
  const f = (x: Float64Array, g: Float64Array): number => negLogPosterior(x, data, prior, g);
  const tryStarts = (starts: Float64Array[]): FitResult | undefined => {
    let best: FitResult | undefined;
    for (const start of starts) {
      const r = minimizeLbfgs(f, start, { lower, upper, maxIterations: options.maxIterations, gradTolerance: 1e-4, valueTolerance: 1e-7 });
      if (r.ok && Number.isFinite(r.value) && (!best || r.value < best.value)) best = { theta: r.x, value: r.value };
    }
    return best;
  };
  const defaults = defaultStarts(d, options.noiseFloor).map((t) => t.map((v, i) => Math.min(Math.max(v, lower[i]), upper[i])));
  const fitted = tryStarts(options.starts) ?? tryStarts(defaults);
  return fitted ?? { theta: defaults[0], value: Infinity };
}
