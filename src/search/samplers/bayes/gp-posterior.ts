import { choleskyWithJitter } from '../../numeric/cholesky';
import { KernelParams, kernelMatrix, matern52, scaledDistance2 } from './matern52.kernel';

const SQRT5 = Math.sqrt(5);

/**
 * A GP posterior over standardised targets, with room for `capacity - n` appended (fantasy) points.
 * Mutable only through {@link appendObservation}, which the sampler uses within one call.
 */
export interface GpPosterior {
  d: number;
  n: number;
  capacity: number;
  isCat: Uint8Array;
  params: KernelParams;
  /** Row-major `capacity × d` features; the first `n` rows are used. */
  X: Float64Array;
  y: Float64Array;
  /** Lower Cholesky factor with leading dimension `capacity`. */
  L: Float64Array;
  /** `K⁻¹ y`. */
  alpha: Float64Array;
}

function solveLowerInto(L: Float64Array, ld: number, n: number, b: Float64Array, x: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = b[i];
    const r = i * ld;
    for (let k = 0; k < i; k++) s -= L[r + k] * x[k];
    x[i] = s / L[r + i];
  }
}

function solveUpperTInto(L: Float64Array, ld: number, n: number, x: Float64Array): void {
  for (let i = n - 1; i >= 0; i--) {
    x[i] /= L[i * ld + i];
    const xi = x[i];
    const r = i * ld;
    for (let k = 0; k < i; k++) x[k] -= L[r + k] * xi;
  }
}

function refreshAlpha(post: GpPosterior): void {
  const { L, capacity, n } = post;
  const tmp = new Float64Array(n);
  solveLowerInto(L, capacity, n, post.y, tmp);
  solveUpperTInto(L, capacity, n, tmp);
  post.alpha = tmp;
}

/**
 * Conditions the GP on `n` rows of features and targets. Returns undefined only when the
 * covariance cannot be factored even with jitter (the caller then falls back to exploration).
 */
export function buildPosterior(
  X: Float64Array,
  y: Float64Array,
  n: number,
  d: number,
  isCat: Uint8Array,
  params: KernelParams,
  extra: number,
): GpPosterior | undefined {
  const K = kernelMatrix(X, n, d, params, isCat);
  const chol = choleskyWithJitter(K, n, 1e-10, 1e-2);
  if (!chol) return undefined;
  const capacity = n + extra;
  const L = new Float64Array(capacity * capacity);
  for (let i = 0; i < n; i++) L.set(chol.L.subarray(i * n, i * n + i + 1), i * capacity);
  const Xc = new Float64Array(capacity * d);
  Xc.set(X.subarray(0, n * d));
  const yc = new Float64Array(capacity);
  yc.set(y.subarray(0, n));
  const post: GpPosterior = { d, n, capacity, isCat, params, X: Xc, y: yc, L, alpha: new Float64Array(0) };
  refreshAlpha(post);
  return post;
}

/** Scratch buffers for predictions, reused across calls to avoid allocation in the hot loop. */
export interface PredictScratch {
  k: Float64Array;
  v: Float64Array;
  dk: Float64Array;
}

/** Allocates scratch buffers for a posterior. */
export function predictScratch(post: GpPosterior): PredictScratch {
  return { k: new Float64Array(post.capacity), v: new Float64Array(post.capacity), dk: new Float64Array(post.capacity) };
}

/** A prediction of the latent function: mean and variance, with optional gradients. */
export interface Prediction {
  mean: number;
  variance: number;
}

/**
 * Posterior mean and latent variance at feature row `x`. When `gradMean`/`gradVar` are given, also
 * writes their derivatives with respect to every numeric feature flagged in `gradMask`.
 */
export function predict(
  post: GpPosterior,
  x: ArrayLike<number>,
  s: PredictScratch,
  gradMask?: Uint8Array,
  gradMean?: Float64Array,
  gradVar?: Float64Array,
): Prediction {
  const { n, d, isCat, params, X, L, capacity, alpha } = post;
  const { k, v, dk } = s;
  let mean = 0;
  const { invL2, signal } = params;
  // The hot loop of the sampler: distance and Matérn 5/2 written out inline (same maths as matern52.kernel.ts).
  for (let i = 0; i < n; i++) {
    let r2 = 0;
    const base = i * d;
    for (let j = 0; j < d; j++) {
      if (isCat[j]) {
        if (x[j] !== X[base + j]) r2 += invL2[j];
      } else {
        const t = x[j] - X[base + j];
        r2 += t * t * invL2[j];
      }
    }
    const r = Math.sqrt(r2);
    const e = Math.exp(-SQRT5 * r);
    k[i] = signal * (1 + SQRT5 * r + (5 / 3) * r2) * e;
    if (gradMask) dk[i] = -signal * (5 / 6) * (1 + SQRT5 * r) * e;
    mean += k[i] * alpha[i];
  }
  solveLowerInto(L, capacity, n, k, v);
  let vv = 0;
  for (let i = 0; i < n; i++) vv += v[i] * v[i];
  const variance = Math.max(params.signal - vv, 1e-12 * params.signal);
  if (gradMask && gradMean && gradVar) {
    // w = K⁻¹ k; ∂var/∂x = -2 wᵀ ∂k/∂x; ∂k_i/∂x_j = dk/dr² · 2 (x_j - X_ij)/ℓ_j².
    solveUpperTInto(L, capacity, n, v);
    for (let j = 0; j < d; j++) {
      gradMean[j] = 0;
      gradVar[j] = 0;
      if (!gradMask[j]) continue;
      const c = 2 * params.invL2[j];
      let gm = 0,
        gv = 0;
      for (let i = 0; i < n; i++) {
        const dkdx = dk[i] * c * (x[j] - X[i * d + j]);
        gm += alpha[i] * dkdx;
        gv += v[i] * dkdx;
      }
      gradMean[j] = gm;
      // Where the variance sits at its floor its gradient is meaningless; report none.
      gradVar[j] = params.signal - vv > 1e-12 * params.signal ? -2 * gv : 0;
    }
  }
  return { mean, variance };
}

/**
 * Adds one observation (a fantasy, for a pending or just-chosen point) by extending the Cholesky
 * factor by a row: O(n²) instead of refactoring. Ignored when the posterior is full.
 */
export function appendObservation(post: GpPosterior, x: ArrayLike<number>, y: number): void {
  if (post.n >= post.capacity) return;
  const { n, d, capacity, L, params, isCat } = post;
  const s = predictScratch(post);
  for (let i = 0; i < n; i++) s.k[i] = params.signal * matern52(scaledDistance2(x, 0, post.X, i * d, d, params.invL2, isCat));
  solveLowerInto(L, capacity, n, s.k, s.v);
  let vv = 0;
  for (let i = 0; i < n; i++) {
    L[n * capacity + i] = s.v[i];
    vv += s.v[i] * s.v[i];
  }
  // Jitter keeps the new pivot positive when the point repeats an existing one.
  L[n * capacity + n] = Math.sqrt(Math.max(params.signal + params.noise - vv, 1e-8 * params.signal));
  for (let j = 0; j < d; j++) post.X[n * d + j] = x[j];
  post.y[n] = y;
  post.n = n + 1;
  refreshAlpha(post);
}
