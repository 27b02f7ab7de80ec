/** A function to minimise: returns the value and writes the gradient into `grad`. */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

/** Options of {@link minimizeLbfgs}; every field has a default. */
export interface LbfgsOptions {
  /** Lower bounds per coordinate (default -Infinity). */
  lower?: ArrayLike<number>;
  /** Upper bounds per coordinate (default +Infinity). */
  upper?: ArrayLike<number>;
  /** Most iterations (default 50). */
  maxIterations?: number;
  /** History size of the quasi-Newton approximation (default 8). */
  memory?: number;
  /** Stop when the projected gradient's largest entry falls below this (default 1e-5). */
  gradTolerance?: number;
  /** Stop when an iteration improves the value by less than this, relatively (default 1e-9). */
  valueTolerance?: number;
}

/** The outcome of a minimisation. */
export interface LbfgsResult {
  x: Float64Array;
  value: number;
  iterations: number;
  evaluations: number;
  /** False when the objective was not finite at the start. */
  ok: boolean;
}

/**
 * Box-constrained L-BFGS by projection: the quasi-Newton direction is computed on the coordinates
 * not held at a bound, and a backtracking (Armijo) line search projects each trial point onto the
 * box. Simpler than L-BFGS-B and enough for the handful of kernel hyperparameters it serves.
 */
export function minimizeLbfgs(f: Objective, x0: ArrayLike<number>, options: LbfgsOptions = {}): LbfgsResult {
  const n = x0.length;
  const lower = options.lower ?? new Float64Array(n).fill(-Infinity);
  const upper = options.upper ?? new Float64Array(n).fill(Infinity);
  const maxIter = options.maxIterations ?? 50;
  const m = options.memory ?? 8;
  const gtol = options.gradTolerance ?? 1e-5;
  const ftol = options.valueTolerance ?? 1e-9;
  const clamp = (v: number, i: number): number => Math.min(Math.max(v, lower[i]), upper[i]);

  let x = Float64Array.from({ length: n }, (_, i) => clamp(x0[i], i));
  let g = new Float64Array(n);
  let fx = f(x, g);
  let evaluations = 1;
  if (!Number.isFinite(fx) || g.some((v) => !Number.isFinite(v))) return { x, value: fx, iterations: 0, evaluations, ok: false };

  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const free = new Uint8Array(n);
  const xNew = new Float64Array(n);
  let gNew = new Float64Array(n);
  let iter = 0;
  for (; iter < maxIter; iter++) {
    // A coordinate at a bound whose gradient pushes outward is held fixed this iteration.
    let pgMax = 0;
    for (let i = 0; i < n; i++) {
      const held = (x[i] <= lower[i] && g[i] > 0) || (x[i] >= upper[i] && g[i] < 0);
      free[i] = held ? 0 : 1;
      if (!held) pgMax = Math.max(pgMax, Math.abs(g[i]));
    }
    if (pgMax < gtol) break;

    // Two-loop recursion on the free coordinates.
    const q = Float64Array.from(g, (v, i) => (free[i] ? v : 0));
    const alpha = new Float64Array(S.length);
    const dotFree = (a: Float64Array, b: Float64Array): number => {
      let s = 0;
      for (let i = 0; i < n; i++) if (free[i]) s += a[i] * b[i];
      return s;
    };
    for (let k = S.length - 1; k >= 0; k--) {
      const rho = 1 / dotFree(Y[k], S[k]);
      if (!Number.isFinite(rho) || rho <= 0) continue;
      alpha[k] = rho * dotFree(S[k], q);
      for (let i = 0; i < n; i++) if (free[i]) q[i] -= alpha[k] * Y[k][i];
    }
    if (S.length > 0) {
      const last = S.length - 1;
      const yy = dotFree(Y[last], Y[last]);
      const gamma = dotFree(S[last], Y[last]) / yy;
      if (Number.isFinite(gamma) && gamma > 0) for (let i = 0; i < n; i++) q[i] *= gamma;
    } else {
      // First step: move at most 1 unit along the largest gradient entry.
      const scale = Math.min(1, 1 / pgMax);
      for (let i = 0; i < n; i++) q[i] *= scale;
    }
    for (let k = 0; k < S.length; k++) {
      const rho = 1 / dotFree(Y[k], S[k]);
      if (!Number.isFinite(rho) || rho <= 0) continue;
      const beta = rho * dotFree(Y[k], q);
      for (let i = 0; i < n; i++) if (free[i]) q[i] += S[k][i] * (alpha[k] - beta);
    }
    // Direction d = -q; fall back to steepest descent if it is not a descent direction.
    let slope = 0;
    for (let i = 0; i < n; i++) slope -= g[i] * q[i];
    if (!(slope < 0)) {
      S.length = 0;
      Y.length = 0;
      const scale = Math.min(1, 1 / pgMax);
      for (let i = 0; i < n; i++) q[i] = free[i] ? g[i] * scale : 0;
      slope = 0;
      for (let i = 0; i < n; i++) slope -= g[i] * q[i];
    }

    let step = 1;
    let fNew = Infinity;
    let accepted = false;
    for (let ls = 0; ls < 30; ls++) {
      for (let i = 0; i < n; i++) xNew[i] = clamp(x[i] - step * q[i], i);
      fNew = f(xNew, gNew);
      evaluations++;
      let decrease = 0;
      for (let i = 0; i < n; i++) decrease += g[i] * (xNew[i] - x[i]);
      if (Number.isFinite(fNew) && fNew <= fx + 1e-4 * decrease) {
        accepted = true;
        break;
      }
      step *= 0.3;
    }
    if (!accepted) break;

    const s = Float64Array.from(xNew, (v, i) => v - x[i]);
    const y = Float64Array.from(gNew, (v, i) => v - g[i]);
    let sy = 0;
    for (let i = 0; i < n; i++) sy += s[i] * y[i];
    if (sy > 1e-12) {
      S.push(s);
      Y.push(y);
      if (S.length > m) {
        S.shift();
        Y.shift();
      }
    }
    const improvement = fx - fNew;
    x = Float64Array.from(xNew);
    const swap = g;
    g = gNew;
    gNew = swap;
    fx = fNew;
    if (improvement <= ftol * Math.max(1, Math.abs(fx))) {
      iter++;
      break;
    }
  }
  return { x, value: fx, iterations: iter, evaluations, ok: true };
}
