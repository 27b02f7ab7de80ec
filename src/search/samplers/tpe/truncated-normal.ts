import { erfc, erfcx, log1mexp, normCdf, normInv } from '../../numeric/normal';
import { Rng } from '../../rng';

const SQRT1_2 = Math.SQRT1_2;
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** `log erfc(x)` for x ≥ 0, finite far into the tail where erfc itself underflows. */
function logErfcNonNegative(x: number): number {
  return Math.log(erfcx(x)) - x * x;
}

/**
 * `log(Φ(b) − Φ(a))` for a ≤ b: the log probability that a standard normal falls in [a, b].
 * Computed from the nearer tail, so an interval many standard deviations out (a kernel far from a
 * discrete cell) gives a finite, accurate log rather than log 0 from cancellation.
 */
export function logGaussMass(a: number, b: number): number {
  if (!(b > a)) return -Infinity;
  // Mirror so the interval is in the upper half or straddles 0.
  if (b <= 0) return logGaussMass(-b, -a);
  if (a >= 0) {
    const la = logErfcNonNegative(a * SQRT1_2);
    if (b === Infinity) return la - Math.LN2;
    const lb = logErfcNonNegative(b * SQRT1_2);
    return la - Math.LN2 + log1mexp(lb - la);
  }
  // a < 0 < b: the two tails outside are each at most 1/2, so 1 − (tails) loses nothing.
  const tails = 0.5 * erfc(-a * SQRT1_2) + 0.5 * erfc(b * SQRT1_2);
  return Math.log1p(-tails);
}

/** Log density at `x` of N(mu, sigma²) truncated to [low, high], given `logMass` = log mass of [low, high]. */
export function truncatedNormalLogPdf(x: number, mu: number, sigma: number, logMass: number): number {
  const z = (x - mu) / sigma;
  return -0.5 * z * z - HALF_LOG_2PI - Math.log(sigma) - logMass;
}

/**
 * A draw from N(mu, sigma²) truncated to [low, high] by inversion, one uniform per draw. The
 * kernels' centres lie inside [low, high], so the interval always holds a good share of the mass
 * and inversion is accurate; the clamp only catches rounding in the far tails.
 */
export function sampleTruncatedNormal(mu: number, sigma: number, low: number, high: number, rng: Rng): number {
  const pa = normCdf((low - mu) / sigma);
  const pb = normCdf((high - mu) / sigma);
  const z = normInv(pa + rng.next() * (pb - pa));
  const x = mu + sigma * z;
  return x < low ? low : x > high ? high : Number.isFinite(x) ? x : mu;
}
