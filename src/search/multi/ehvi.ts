import { log1mexp, logH } from '../numeric/normal';

/**
 * The region a set of loss vectors does not dominate, below a reference point, cut into disjoint
 * boxes `[lower, upper)` (a lower bound may be -Infinity). The hypervolume improvement of a new
 * point `y` is then `Σ_k Π_j max(0, upper_kj − max(lower_kj, y_j))`, which, with independent
 * normal objectives, has a closed-form expectation box by box (Emmerich et al. 2006; Yang et al.
 * 2019 for the box form).
 *
 * Bounds are stored as indices into per-objective sorted `levels`, so a prediction evaluates the
 * normal integrals once per distinct bound rather than once per box.
 */
export interface BoxDecomposition {
  /** Number of objectives. */
  m: number;
  /** Per objective, the distinct finite bounds, ascending; index 0 stands for -Infinity. */
  levels: Float64Array[];
  /** Per box, `m` lower-bound indices then `m` upper-bound indices (into `levels`). */
  boxes: Int32Array;
  count: number;
}

type Box = { lower: number[]; upper: number[] };

/** The non-dominated part of `points`: points no other dominates; of equal points the first. */
export function nondominated(points: readonly (readonly number[])[]): number[][] {
  const out: number[][] = [];
  const sorted = [...points].sort((a, b) => {
    for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return a[k] - b[k];
    return 0;
  });
  for (const p of sorted) {
    // In lexicographic order a point can only be dominated (or equalled) by one before it.
    if (out.some((q) => q.every((v, k) => v <= p[k]))) continue;
    out.push([...p]);
  }
  return out;
}

/**
 * Boxes of the region below `ref` that no point weakly dominates, by slicing along the last
 * objective: between two consecutive cuts the points that dominate z are those already passed, so
 * each slice is the region of one dimension fewer. A box of that lower region that stays the same
 * from one slice to the next is extended rather than repeated, which keeps the count near linear
 * in the number of points for three objectives (each new point changes only a few steps of the
 * staircase below it) instead of quadratic.
 */
function boxesOf(points: readonly (readonly number[])[], ref: readonly number[]): Box[] {
  const m = ref.length;
  if (m === 1) {
    const top = Math.min(ref[0], ...points.map((p) => p[0]));
    return top > -Infinity ? [{ lower: [-Infinity], upper: [top] }] : [];
  }
  const sorted = [...points].sort((a, b) => a[m - 1] - b[m - 1]);
  const out: Box[] = [];
  const subRef = ref.slice(0, m - 1);
  const open = new Map<string, { box: Box; start: number }>();
  const close = (key: string, at: number): void => {
    const o = open.get(key)!;
    if (at > o.start) out.push({ lower: [...o.box.lower, o.start], upper: [...o.box.upper, at] });
    open.delete(key);
  };
  let bottom = -Infinity;
  for (let i = 0; i <= sorted.length; i++) {
    const top = i < sorted.length ? sorted[i][m - 1] : ref[m - 1];
    if (top > bottom) {
      const slice = boxesOf(nondominated(sorted.slice(0, i).map((p) => p.slice(0, m - 1))), subRef);
      const keys = new Set<string>();
      for (const b of slice) {
        const key = `${b.lower.join(',')}|${b.upper.join(',')}`;
        keys.add(key);
        if (!open.has(key)) open.set(key, { box: b, start: bottom });
      }
      for (const key of [...open.keys()]) if (!keys.has(key)) close(key, bottom);
    }
    bottom = Math.max(bottom, top);
  }
  for (const key of [...open.keys()]) close(key, ref[m - 1]);
  return out;
}

/**
 * Cuts the region below `reference` that no point of `points` dominates into disjoint boxes.
 * Points not strictly below the reference on every objective are dropped first (they add nothing
 * to the hypervolume). For one, two or three objectives: O(n^(m−1)) boxes for n front points.
 */
export function boxDecomposition(points: readonly (readonly number[])[], reference: readonly number[]): BoxDecomposition {
  const m = reference.length;
  const inside = nondominated(points.filter((p) => p.length === m && p.every((v, k) => Number.isFinite(v) && v < reference[k])));
  const raw = boxesOf(inside, reference).filter((b) => b.upper.every((u, k) => u > b.lower[k]));
  const levels: Float64Array[] = [];
  for (let j = 0; j < m; j++) {
    const finite = new Set<number>();
    for (const b of raw) {
      finite.add(b.upper[j]);
      if (b.lower[j] > -Infinity) finite.add(b.lower[j]);
    }
    levels.push(Float64Array.from([-Infinity, ...[...finite].sort((a, b) => a - b)]));
  }
  const boxes = new Int32Array(raw.length * 2 * m);
  const indexOf = (j: number, v: number): number => (v === -Infinity ? 0 : levels[j].indexOf(v));
  raw.forEach((b, k) => {
    for (let j = 0; j < m; j++) {
      boxes[k * 2 * m + j] = indexOf(j, b.lower[j]);
      boxes[k * 2 * m + m + j] = indexOf(j, b.upper[j]);
    }
  });
  return { m, levels, boxes, count: raw.length };
}

/** Log expected hypervolume improvement and its derivatives with respect to each objective's mean and sd. */
export interface LogEhvi {
  value: number;
  dMean: Float64Array;
  dSd: Float64Array;
}

/** Per objective and level: log Ψ (Ψ(c) = E[(c − y)⁺]), Ψ scaled by the largest, and the scaled Φ and φ terms of its derivatives. */
interface LevelTerms {
  logPsi: Float64Array;
  psi: Float64Array;
  /** ∂Ψ/∂μ = −Φ(α), scaled: Φ(α)/S. */
  cdf: Float64Array;
  /** ∂Ψ/∂σ = φ(α), scaled: φ(α)/S. */
  pdf: Float64Array;
  /** Φ(α)/h(α) and α = (c − μ)/σ, for the derivatives of log Ψ (0 at -Infinity). */
  slope: Float64Array;
  alpha: Float64Array;
  logScale: number;
}

/**
 * Beyond these standardised distances log h and its slope come from their asymptotic forms, which
 * are exact to well below the precision the acquisition needs (relative 1e-10 above, 1e-5 below)
 * and spare the continued fraction of erfcx: most bounds of a large front lie far from a given
 * prediction, and these evaluations were most of a suggestion's cost after the GP itself.
 */
const UPPER_TAIL = 6;
const LOWER_TAIL = -8;
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** h(z) = zΦ(z) + φ(z) ≈ z for large z (φ(z)/z³ relative), and Φ/h ≈ 1/z. */
function upperTail(z: number): { value: number; slope: number } {
  return { value: Math.log(z), slope: 1 / z };
}

/** h(z) ≈ φ(z)/z²·(1 − 3/z² + 15/z⁴ − 105/z⁶ + 945/z⁸) and Φ(z) ≈ φ(z)/(−z)·(1 − 1/z² + 3/z⁴ − 15/z⁶ + 105/z⁸) for z ≪ 0. */
function lowerTail(z: number): { value: number; slope: number } {
  const w = 1 / (z * z);
  const sh = 1 + w * (-3 + w * (15 + w * (-105 + w * 945)));
  const sc = 1 + w * (-1 + w * (3 + w * (-15 + w * 105)));
  return { value: -0.5 * z * z - HALF_LOG_2PI + Math.log(w) + Math.log(sh), slope: (-z * sc) / sh };
}

function levelTerms(levels: Float64Array, mean: number, sd: number): LevelTerms {
  const n = levels.length;
  const slope = new Float64Array(n);
  const alpha = new Float64Array(n);
  const t: LevelTerms = {
    logPsi: new Float64Array(n),
    psi: new Float64Array(n),
    cdf: new Float64Array(n),
    pdf: new Float64Array(n),
    slope,
    alpha,
    logScale: -Infinity,
  };
  t.logPsi[0] = -Infinity;
  const logSd = Math.log(sd);
  for (let i = 1; i < n; i++) {
    const a = (levels[i] - mean) / sd;
    alpha[i] = a;
    const h = a > UPPER_TAIL ? upperTail(a) : a < LOWER_TAIL ? lowerTail(a) : logH(a);
    t.logPsi[i] = logSd + h.value;
    slope[i] = h.slope;
    t.logScale = Math.max(t.logScale, t.logPsi[i]);
  }
  for (let i = 1; i < n; i++) {
    // Φ(α) = slope·h(α) and φ(α) = h(α)·(1 − α·slope), with h = Ψ/σ (see logH).
    const psi = Math.exp(t.logPsi[i] - t.logScale);
    t.psi[i] = psi;
    t.cdf[i] = (slope[i] * psi) / sd;
    t.pdf[i] = (psi * (1 - alpha[i] * slope[i])) / sd;
  }
  return t;
}

/** Below this, the scaled linear sum has lost too many digits to cancellation or underflow; the log form takes over. */
const LINEAR_FLOOR = 1e-100;

/**
 * Log EHVI of a prediction with independent normal objectives `N(mean_j, sd_j²)` (all minimised)
 * over a box decomposition, after Ament et al. (2023): finite and with a useful slope even where
 * the improvement underflows to 0, so flat regions still order candidates. The sum is taken in
 * linear form scaled per objective, and box by box in log form (log-sum-exp) when that sum is
 * too small to trust.
 */
export function logEhvi(dec: BoxDecomposition, mean: ArrayLike<number>, sd: ArrayLike<number>): LogEhvi {
  const { m, boxes, count } = dec;
  const dMean = new Float64Array(m);
  const dSd = new Float64Array(m);
  if (count === 0) return { value: -Infinity, dMean, dSd };
  const terms = dec.levels.map((lv, j) => levelTerms(lv, mean[j], sd[j]));
  const diff = new Float64Array(m);
  let total = 0;
  for (let k = 0; k < count; k++) {
    const base = k * 2 * m;
    let prod = 1;
    for (let j = 0; j < m; j++) {
      const t = terms[j];
      diff[j] = t.psi[boxes[base + m + j]] - t.psi[boxes[base + j]];
      prod *= diff[j];
    }
    if (!(prod > 0)) continue;
    total += prod;
    for (let j = 0; j < m; j++) {
      const lo = boxes[base + j];
      const hi = boxes[base + m + j];
      const others = prod / diff[j];
      dMean[j] += others * (terms[j].cdf[lo] - terms[j].cdf[hi]);
      dSd[j] += others * (terms[j].pdf[hi] - terms[j].pdf[lo]);
    }
  }
  let logScale = 0;
  for (const t of terms) logScale += t.logScale;
  if (total > LINEAR_FLOOR) {
    for (let j = 0; j < m; j++) {
      dMean[j] /= total;
      dSd[j] /= total;
    }
    return { value: logScale + Math.log(total), dMean, dSd };
  }
  return logEhviInLogs(dec, terms, sd);
}

/** The log form: log D per box and objective from log Ψ, then log-sum-exp over boxes. */
function logEhviInLogs(dec: BoxDecomposition, terms: LevelTerms[], sd: ArrayLike<number>): LogEhvi {
  const { m, boxes, count } = dec;
  const w = new Float64Array(count);
  const gm = new Float64Array(count * m);
  const gs = new Float64Array(count * m);
  let top = -Infinity;
  for (let k = 0; k < count; k++) {
    const base = k * 2 * m;
    let sum = 0;
    for (let j = 0; j < m; j++) {
      const t = terms[j];
      const lo = boxes[base + j];
      const hi = boxes[base + m + j];
      const lu = t.logPsi[hi];
      const ll = t.logPsi[lo];
      // D = Ψ(u)·(1 − ρ) with ρ = Ψ(l)/Ψ(u); the derivatives of log D follow from the scaled Φ, φ terms.
      const logRho = ll - lu;
      const logD = lu + (logRho === -Infinity ? 0 : log1mexp(logRho));
      sum += logD;
      // ∂log D/∂μ = (ρ·s_l − s_u)/(σ(1 − ρ)), ∂log D/∂σ = ((1 − α_u s_u) − ρ(1 − α_l s_l))/(σ(1 − ρ)), with s = Φ/h.
      const rho = Math.exp(logRho);
      const scale = sd[j] * (1 - rho);
      gm[k * m + j] = (rho * t.slope[lo] - t.slope[hi]) / scale;
      gs[k * m + j] = (1 - t.alpha[hi] * t.slope[hi] - rho * (1 - t.alpha[lo] * t.slope[lo])) / scale;
    }
    w[k] = sum;
    if (sum > top) top = sum;
  }
  const dMean = new Float64Array(m);
  const dSd = new Float64Array(m);
  if (top === -Infinity) return { value: -Infinity, dMean, dSd };
  let z = 0;
  for (let k = 0; k < count; k++) z += Math.exp(w[k] - top);
  for (let k = 0; k < count; k++) {
    const p = Math.exp(w[k] - top) / z;
    if (p === 0) continue;
    for (let j = 0; j < m; j++) {
      dMean[j] += p * gm[k * m + j];
      dSd[j] += p * gs[k * m + j];
    }
  }
  return { value: top + Math.log(z), dMean, dSd };
}
