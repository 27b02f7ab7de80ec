import { Rng } from '../../rng';
import { symmetricEigen } from './symmetric-eigen';

/** Strategy constants of CMA-ES for a dimension and population size (Hansen, "The CMA Evolution Strategy: A Tutorial", 2016). */
export interface CmaConstants {
  n: number;
  lambda: number;
  mu: number;
  weights: Float64Array;
  muEff: number;
  cc: number;
  cs: number;
  c1: number;
  cmu: number;
  damps: number;
  chiN: number;
}

/** The distribution CMA-ES samples from, in the unit cube: mean, step size, covariance and evolution paths. */
export interface CmaState {
  generation: number;
  mean: Float64Array;
  sigma: number;
  /** Row-major n×n covariance matrix. */
  cov: Float64Array;
  pc: Float64Array;
  ps: Float64Array;
}

/** The default population size `4 + ⌊3 ln n⌋`. */
export function defaultLambda(n: number): number {
  return 4 + Math.floor(3 * Math.log(n));
}

/** Computes the strategy constants; `lambda` of 0 means the default. */
export function cmaConstants(n: number, lambda = 0): CmaConstants {
  const lam = lambda > 0 ? lambda : defaultLambda(n);
  const mu = Math.floor(lam / 2);
  const raw = Float64Array.from({ length: mu }, (_, i) => Math.log(mu + 0.5) - Math.log(i + 1));
  const total = raw.reduce((s, w) => s + w, 0);
  const weights = raw.map((w) => w / total);
  const muEff = 1 / weights.reduce((s, w) => s + w * w, 0);
  const cc = (4 + muEff / n) / (n + 4 + (2 * muEff) / n);
  const cs = (muEff + 2) / (n + muEff + 5);
  const c1 = 2 / ((n + 1.3) ** 2 + muEff);
  const cmu = Math.min(1 - c1, (2 * (muEff - 2 + 1 / muEff)) / ((n + 2) ** 2 + muEff));
  const damps = 1 + 2 * Math.max(0, Math.sqrt((muEff - 1) / (n + 1)) - 1) + cs;
  const chiN = Math.sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n * n));
  return { n, lambda: lam, mu, weights, muEff, cc, cs, c1, cmu, damps, chiN };
}

/** The starting distribution: centred in the cube with an isotropic step size `sigma0`. */
export function initialState(n: number, sigma0: number): CmaState {
  const cov = new Float64Array(n * n);
  for (let i = 0; i < n; i++) cov[i * n + i] = 1;
  return { generation: 0, mean: new Float64Array(n).fill(0.5), sigma: sigma0, cov, pc: new Float64Array(n), ps: new Float64Array(n) };
}

/** `B·D` (columns scaled by √eigenvalues) and `C^{-1/2}` of a covariance matrix. */
function factor(cov: Float64Array, n: number): { bd: Float64Array; invSqrt: Float64Array } {
  const { values, vectors } = symmetricEigen(cov, n);
  const d = values.map((v) => Math.sqrt(Math.max(v, 1e-20)));
  const bd = new Float64Array(n * n);
  const invSqrt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      bd[i * n + j] = vectors[i * n + j] * d[j];
      let s = 0;
      for (let k = 0; k < n; k++) s += (vectors[i * n + k] * vectors[j * n + k]) / d[k];
      invSqrt[i * n + j] = s;
    }
  }
  return { bd, invSqrt };
}

/** Draws one point `m + σ·B·D·z`, resampling up to `tries` times to land inside the cube, then clipping. */
export function samplePoint(state: CmaState, rng: Rng, tries = 20): Float64Array {
  const n = state.mean.length;
  const { bd } = factor(state.cov, n);
  let x = new Float64Array(n);
  for (let t = 0; t < tries; t++) {
    const z = Float64Array.from({ length: n }, () => rng.normal());
    x = state.mean.map((m, i) => {
      let s = 0;
      for (let j = 0; j < n; j++) s += bd[i * n + j] * z[j];
      return m + state.sigma * s;
    });
    if (x.every((u) => u >= 0 && u <= 1)) return x;
  }
  return x.map((u) => Math.min(Math.max(u, 0), 1));
}

/**
 * One generation's update from its evaluated points, `ranked` best first (at least μ of them).
 * Steps are measured from the current mean, so points sampled from any recent distribution can
 * be replayed from the history.
 */
export function updateState(state: CmaState, k: CmaConstants, ranked: readonly ArrayLike<number>[]): CmaState {
  const { n, mu, weights, muEff, cc, cs, c1, cmu, damps, chiN } = k;
  const old = state.mean;
  const ys = ranked.slice(0, mu).map((x) => Float64Array.from({ length: n }, (_, i) => (x[i] - old[i]) / state.sigma));
  const yw = new Float64Array(n);
  ys.forEach((y, r) => y.forEach((v, i) => (yw[i] += weights[r] * v)));
  const mean = old.map((m, i) => m + state.sigma * yw[i]);
  const { invSqrt } = factor(state.cov, n);
  const ps = state.ps.map((p, i) => {
    let s = 0;
    for (let j = 0; j < n; j++) s += invSqrt[i * n + j] * yw[j];
    return (1 - cs) * p + Math.sqrt(cs * (2 - cs) * muEff) * s;
  });
  const psNorm = Math.sqrt(ps.reduce((s, v) => s + v * v, 0));
  const generation = state.generation + 1;
  const hsig = psNorm / Math.sqrt(1 - (1 - cs) ** (2 * generation)) / chiN < 1.4 + 2 / (n + 1) ? 1 : 0;
  const pc = state.pc.map((p, i) => (1 - cc) * p + hsig * Math.sqrt(cc * (2 - cc) * muEff) * yw[i]);
  const cov = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let rankMu = 0;
      ys.forEach((y, r) => (rankMu += weights[r] * y[i] * y[j]));
      const old = state.cov[i * n + j];
      cov[i * n + j] = (1 - c1 - cmu) * old + c1 * (pc[i] * pc[j] + (1 - hsig) * cc * (2 - cc) * old) + cmu * rankMu;
    }
  }
  // Rounding drifts the matrix off symmetry over many generations; the eigen-solver assumes it.
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) cov[i * n + j] = cov[j * n + i] = (cov[i * n + j] + cov[j * n + i]) / 2;
  const sigma = state.sigma * Math.exp((cs / damps) * (psNorm / chiN - 1));
  return { generation, mean, sigma, cov, pc, ps };
}
