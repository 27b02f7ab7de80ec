/** The result of a Cholesky factorisation with jitter: `A + jitter·I = L·Lᵀ`. */
export interface CholeskyResult {
  /** Lower-triangular factor, row-major `n × n` (the upper triangle is zero). */
  L: Float64Array;
  n: number;
  /** What was added to the diagonal to make the factorisation succeed. */
  jitter: number;
}

/**
 * Factors a symmetric positive-definite matrix (row-major `n × n`) in place of a copy. Returns
 * undefined when a pivot is not positive, so the caller can add jitter.
 */
export function cholesky(a: ArrayLike<number>, n: number, jitter = 0): Float64Array | undefined {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = a[ri + j] + (i === j ? jitter : 0);
      for (let k = 0; k < j; k++) s -= L[ri + k] * L[rj + k];
      if (i === j) {
        if (!(s > 0)) return undefined;
        L[ri + i] = Math.sqrt(s);
      } else {
        L[ri + j] = s / L[rj + j];
      }
    }
  }
  return L;
}

/**
 * Cholesky with jitter escalation: tries `jitter0`, then ten times more, up to `maxJitter`, scaled
 * by the mean diagonal. Returns undefined only when even the largest jitter fails (e.g. NaN input).
 */
export function choleskyWithJitter(a: ArrayLike<number>, n: number, jitter0 = 1e-10, maxJitter = 1e-1): CholeskyResult | undefined {
  let scale = 0;
  for (let i = 0; i < n; i++) scale += a[i * n + i];
  scale = n > 0 && scale > 0 ? scale / n : 1;
  const direct = cholesky(a, n, 0);
  if (direct) return { L: direct, n, jitter: 0 };
  for (let j = jitter0; j <= maxJitter * (1 + 1e-12); j *= 10) {
    const L = cholesky(a, n, j * scale);
    if (L) return { L, n, jitter: j * scale };
  }
  return undefined;
}

/** Solves `L x = b` for lower-triangular `L` (row-major, leading dimension `ld`, first `n` rows used). */
export function solveLower(L: ArrayLike<number>, b: ArrayLike<number>, n: number, ld = n): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    const r = i * ld;
    for (let k = 0; k < i; k++) s -= L[r + k] * x[k];
    x[i] = s / L[r + i];
  }
  return x;
}

/** Solves `Lᵀ x = b` for lower-triangular `L` (row-major, leading dimension `ld`). */
export function solveUpperT(L: ArrayLike<number>, b: ArrayLike<number>, n: number, ld = n): Float64Array {
  const x = Float64Array.from({ length: n }, (_, i) => b[i]);
  for (let i = n - 1; i >= 0; i--) {
    x[i] /= L[i * ld + i];
    const xi = x[i];
    const r = i * ld;
    for (let k = 0; k < i; k++) x[k] -= L[r + k] * xi;
  }
  return x;
}

/** Solves `A x = b` given the Cholesky factor of `A`. */
export function choleskySolve(L: ArrayLike<number>, b: ArrayLike<number>, n: number, ld = n): Float64Array {
  return solveUpperT(L, solveLower(L, b, n, ld), n, ld);
}

/** `A⁻¹` from its Cholesky factor, row-major `n × n` (needed for the marginal-likelihood gradient). */
export function choleskyInverse(L: ArrayLike<number>, n: number): Float64Array {
  // Invert L (lower-triangular), then A⁻¹ = L⁻ᵀ L⁻¹.
  const Li = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    Li[i * n + i] = 1 / L[i * n + i];
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= L[i * n + k] * Li[k * n + j];
      Li[i * n + j] = s / L[i * n + i];
    }
  }
  const inv = new Float64Array(n * n);
  // Accumulate row by row of L⁻¹ so the inner loop reads contiguous memory.
  for (let k = 0; k < n; k++) {
    const rk = k * n;
    for (let i = 0; i <= k; i++) {
      const lki = Li[rk + i];
      if (lki === 0) continue;
      const ri = i * n;
      for (let j = 0; j <= i; j++) inv[ri + j] += lki * Li[rk + j];
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) inv[j * n + i] = inv[i * n + j];
  return inv;
}

/** Sum of the logs of the diagonal of `L`, i.e. half the log-determinant of `L·Lᵀ`. */
export function logDiagSum(L: ArrayLike<number>, n: number, ld = n): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(L[i * ld + i]);
  return s;
}
