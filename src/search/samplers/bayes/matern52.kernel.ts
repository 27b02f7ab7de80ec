const SQRT5 = Math.sqrt(5);

/**
 * Kernel hyperparameters in the form the GP code uses: inverse squared length-scales per
 * dimension, the signal variance and the noise variance (all on standardised outputs).
 */
export interface KernelParams {
  /** `1/ℓ_j²` per dimension. */
  invL2: Float64Array;
  signal: number;
  noise: number;
}

/**
 * Squared scaled distance between two feature rows: `Σ (Δ_j/ℓ_j)²` over numeric dimensions plus
 * `Σ [a_j ≠ b_j]/ℓ_j²` over categorical ones (a Hamming term: categories have no order).
 */
export function scaledDistance2(
  a: ArrayLike<number>,
  ai: number,
  b: ArrayLike<number>,
  bi: number,
  d: number,
  invL2: ArrayLike<number>,
  isCat: Uint8Array,
): number {
  let r2 = 0;
  for (let j = 0; j < d; j++) {
    if (isCat[j]) {
      if (a[ai + j] !== b[bi + j]) r2 += invL2[j];
    } else {
      const t = a[ai + j] - b[bi + j];
      r2 += t * t * invL2[j];
    }
  }
  return r2;
}

/** Matérn 5/2 correlation at squared distance `r2`: `(1 + √5 r + 5r²/3)·exp(-√5 r)`. */
export function matern52(r2: number): number {
  const r = Math.sqrt(r2);
  return (1 + SQRT5 * r + (5 / 3) * r2) * Math.exp(-SQRT5 * r);
}

/** Derivative of the Matérn 5/2 correlation with respect to `r²`: `-(5/6)(1 + √5 r)·exp(-√5 r)` (finite at 0). */
export function matern52DerivR2(r2: number): number {
  const r = Math.sqrt(r2);
  return -(5 / 6) * (1 + SQRT5 * r) * Math.exp(-SQRT5 * r);
}

/**
 * The covariance matrix of `n` feature rows (row-major `n × d`), signal times Matérn 5/2, with the
 * noise variance on the diagonal. Row-major `n × n`.
 */
export function kernelMatrix(X: ArrayLike<number>, n: number, d: number, p: KernelParams, isCat: Uint8Array): Float64Array {
  const K = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    K[i * n + i] = p.signal + p.noise;
    for (let j = 0; j < i; j++) {
      const k = p.signal * matern52(scaledDistance2(X, i * d, X, j * d, d, p.invL2, isCat));
      K[i * n + j] = k;
      K[j * n + i] = k;
    }
  }
  return K;
}

/** Converts log-parameters `[log ℓ_1 … log ℓ_d, log signal, log noise]` to {@link KernelParams}. */
export function kernelParamsFromLog(theta: ArrayLike<number>, d: number): KernelParams {
  const invL2 = new Float64Array(d);
  for (let j = 0; j < d; j++) invL2[j] = Math.exp(-2 * theta[j]);
  return { invL2, signal: Math.exp(theta[d]), noise: Math.exp(theta[d + 1]) };
}
