import { Rng } from '../../rng';
import { TpeDimension } from './tpe-space';
import { logGaussMass, sampleTruncatedNormal, truncatedNormalLogPdf } from './truncated-normal';

/** Scott-style bandwidth factor of the multivariate estimator, Optuna's `SIGMA0_MAGNITUDE` (from BOHB). */
const SIGMA0_MAGNITUDE = 0.2;

/** How an estimator is built; `tpe.settings.ts` has the user-facing meaning. */
export interface ParzenOptions {
  priorWeight: number;
  /** Bandwidth rule of the numeric kernels: per kernel from its neighbours, or one Scott-style width for all. */
  bandwidth: 'neighbour' | 'scott';
  magicClip: boolean;
}

/**
 * A weighted mixture with one component per observation plus a prior component (centre 0.5, width
 * 1: nearly flat over the cube, so no region ever gets zero density). In the multivariate form a
 * component is a product kernel over all the group's dimensions, which keeps the correlations
 * between parameters that independent per-parameter densities lose.
 */
export interface ParzenEstimator {
  dims: readonly TpeDimension[];
  /** Components, the prior last. */
  size: number;
  /** Normalised component weights and their logs. */
  weights: Float64Array;
  logWeights: Float64Array;
  /** Row-major `size × D`: kernel centres and bandwidths (numeric dimensions). */
  mus: Float64Array;
  sigmas: Float64Array;
  /** Row-major `size × D`: log of each numeric kernel's mass inside [0, 1] (its truncation). */
  logMass: Float64Array;
  /** Per categorical dimension, row-major `size × L` category probabilities of each component (empty for numeric ones). */
  categorical: Float64Array[];
}

/** Optuna's univariate bandwidths: the larger gap to a sorted neighbour, the ends taking their inner gap. */
function neighbourSigmas(mus: Float64Array): Float64Array {
  const m = mus.length;
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => mus[a] - mus[b] || a - b);
  const s = [0, ...order.map((i) => mus[i]), 1];
  const sorted = new Float64Array(m);
  for (let k = 0; k < m; k++) sorted[k] = Math.max(s[k + 1] - s[k], s[k + 2] - s[k + 1]);
  // consider_endpoints = False: the outermost kernels ignore the distance to the edge of the range.
  if (m >= 2) {
    sorted[0] = s[2] - s[1];
    sorted[m - 1] = s[m] - s[m - 1];
  }
  const out = new Float64Array(m);
  order.forEach((i, k) => (out[i] = sorted[k]));
  return out;
}

/**
 * Builds the estimator of one group from its observations (model coordinates, one array of
 * length D per trial, oldest first) and their weights. Bandwidths, per dimension: `neighbour`
 * is Optuna's univariate rule (each kernel as wide as the larger gap to its sorted neighbours),
 * `scott` Optuna's multivariate one (`0.2·n^(-1/(D+4))` of the range for every kernel); both are
 * clipped to [1/min(100, n + 2), 1] with the magic clip, and the prior component has width 1.
 * The densities are normalised (Optuna 3.1's truncated-normal log density left out the
 * −log σ term, optuna/optuna#5109, fixed in 3.5; this follows the fix).
 */
export function buildParzenEstimator(
  dims: readonly TpeDimension[],
  observations: readonly Float64Array[],
  obsWeights: ArrayLike<number>,
  opts: ParzenOptions,
): ParzenEstimator {
  const D = dims.length;
  const m = observations.length;
  const size = m + 1;
  const weights = new Float64Array(size);
  let total = 0;
  for (let i = 0; i < m; i++) total += weights[i] = obsWeights[i];
  total += weights[m] = opts.priorWeight;
  for (let i = 0; i < size; i++) weights[i] /= total;
  const logWeights = weights.map(Math.log);
  const mus = new Float64Array(size * D);
  const sigmas = new Float64Array(size * D);
  const logMass = new Float64Array(size * D);
  const categorical: Float64Array[] = [];
  const sigma0 = SIGMA0_MAGNITUDE * Math.max(m, 1) ** (-1 / (D + 4));
  const minSigma = opts.magicClip ? 1 / Math.min(100, 1 + size) : 1e-12;
  dims.forEach((dim, j) => {
    if (dim.kind === 'categorical') {
      const L = dim.levels;
      const probs = new Float64Array(size * L);
      // Each observation puts 1 on its category over a floor of priorWeight/(n + 1) on every category; the prior row is uniform.
      const floor = opts.priorWeight / size;
      for (let i = 0; i < size; i++) {
        const row = probs.subarray(i * L, (i + 1) * L);
        row.fill(floor);
        if (i < m) row[observations[i][j]] += 1;
        const sum = row.reduce((a, b) => a + b, 0);
        for (let c = 0; c < L; c++) row[c] /= sum;
      }
      categorical.push(probs);
      return;
    }
    categorical.push(new Float64Array(0));
    const column = new Float64Array(size);
    for (let i = 0; i < m; i++) column[i] = observations[i][j];
    column[m] = 0.5;
    const raw = opts.bandwidth === 'scott' ? new Float64Array(size).fill(sigma0) : neighbourSigmas(column);
    for (let i = 0; i < size; i++) {
      const sigma = i === m ? 1 : Math.min(Math.max(raw[i], minSigma), 1);
      mus[i * D + j] = column[i];
      sigmas[i * D + j] = sigma;
      logMass[i * D + j] = logGaussMass((0 - column[i]) / sigma, (1 - column[i]) / sigma);
    }
  });
  return { dims, size, weights, logWeights, mus, sigmas, logMass, categorical };
}

/** Draws one point (model coordinates) from the mixture: a component by weight, then each dimension from its kernel. */
export function sampleParzen(est: ParzenEstimator, rng: Rng): Float64Array {
  const D = est.dims.length;
  let r = rng.next();
  let k = 0;
  while (k < est.size - 1 && r >= est.weights[k]) r -= est.weights[k++];
  const x = new Float64Array(D);
  est.dims.forEach((dim, j) => {
    if (dim.kind === 'categorical') {
      const L = dim.levels;
      const row = est.categorical[j].subarray(k * L, (k + 1) * L);
      let q = rng.next();
      let c = 0;
      while (c < L - 1 && q >= row[c]) q -= row[c++];
      x[j] = c;
      return;
    }
    const u = sampleTruncatedNormal(est.mus[k * D + j], est.sigmas[k * D + j], 0, 1, rng);
    // A discrete value is its cell; scoring then uses the kernel's mass over the cell.
    x[j] = dim.kind === 'cells' ? (Math.min(Math.floor(u * dim.levels), dim.levels - 1) + 0.5) / dim.levels : u;
  });
  return x;
}

/** Log density (log probability for discrete and categorical dimensions) of the mixture at `x`, by log-sum-exp over components. */
export function logPdfParzen(est: ParzenEstimator, x: ArrayLike<number>): number {
  const D = est.dims.length;
  const terms = new Float64Array(est.size);
  let max = -Infinity;
  for (let i = 0; i < est.size; i++) {
    let s = est.logWeights[i];
    for (let j = 0; j < D; j++) {
      const dim = est.dims[j];
      if (dim.kind === 'categorical') {
        s += Math.log(est.categorical[j][i * dim.levels + x[j]]);
        continue;
      }
      const mu = est.mus[i * D + j];
      const sigma = est.sigmas[i * D + j];
      if (dim.kind === 'continuous') s += truncatedNormalLogPdf(x[j], mu, sigma, est.logMass[i * D + j]);
      else {
        const cell = Math.min(Math.floor(x[j] * dim.levels), dim.levels - 1);
        s += logGaussMass((cell / dim.levels - mu) / sigma, ((cell + 1) / dim.levels - mu) / sigma) - est.logMass[i * D + j];
      }
    }
    terms[i] = s;
    if (s > max) max = s;
  }
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (let i = 0; i < est.size; i++) sum += Math.exp(terms[i] - max);
  return max + Math.log(sum);
}
