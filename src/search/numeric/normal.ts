const SQRT2 = Math.SQRT2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
const HALF_LOG_PI_OVER_2 = 0.5 * Math.log(Math.PI / 2);
const INV_SQRT_PI = 1 / Math.sqrt(Math.PI);

/** `exp(x²)·erfc(x)` for x ≥ 0, accurate to about 1e-14 relative, without overflow for large x. */
function erfcxNonNegative(x: number): number {
  if (x < 2) {
    // Taylor series of erf; at x < 2 the alternating terms lose at most two digits.
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let n = 1; n < 80; n++) {
      term *= -x2 / n;
      const t = term / (2 * n + 1);
      sum += t;
      if (Math.abs(t) < 1e-17 * Math.abs(sum)) break;
    }
    return Math.exp(x2) * (1 - 2 * INV_SQRT_PI * sum);
  }
  // Continued fraction erfcx(x) = (1/√π)·1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), evaluated bottom-up.
  const depth = x < 4 ? 90 : x < 10 ? 40 : 12;
  let f = x;
  for (let k = depth; k >= 1; k--) f = x + k / 2 / f;
  return INV_SQRT_PI / f;
}

/** The scaled complementary error function `exp(x²)·erfc(x)`. */
export function erfcx(x: number): number {
  if (x >= 0) return erfcxNonNegative(x);
  // erfc(-y) = 2 - erfc(y); exp(y²) overflows past y ≈ 26.6, where the answer is Infinity anyway.
  const y = -x;
  return 2 * Math.exp(y * y) - erfcxNonNegative(y);
}

/** The complementary error function. */
export function erfc(x: number): number {
  if (x >= 0) return x > 27 ? 0 : Math.exp(-x * x) * erfcxNonNegative(x);
  return 2 - erfc(-x);
}

/** Standard normal density. */
export function normPdf(z: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * z * z);
}

/** Standard normal distribution function, accurate in both tails. */
export function normCdf(z: number): number {
  return 0.5 * erfc(-z / SQRT2);
}

/** `log(1 - exp(x))` for x < 0, stable near 0 and for very negative x. */
export function log1mexp(x: number): number {
  return x > -Math.LN2 ? Math.log(-Math.expm1(x)) : Math.log1p(-Math.exp(x));
}

/**
 * `log h(z)` with `h(z) = z·Φ(z) + φ(z)`, the expected improvement of a standard normal over
 * threshold -z, and its derivative `Φ(z)/h(z)`. Stable for all z (the direct formula underflows to
 * log 0 below z ≈ -38 and loses all digits to cancellation well before), after Ament et al. (2023).
 */
export function logH(z: number): { value: number; slope: number } {
  if (z > -1) {
    const cdf = normCdf(z);
    const h = z * cdf + normPdf(z);
    return { value: Math.log(h), slope: cdf / h };
  }
  const u = -z / SQRT2;
  if (z > -1e8) {
    // h = φ(z)·(1 - |z|·√(π/2)·erfcx(-z/√2)); the bracket is evaluated as 1 - exp(·) without cancellation.
    const ex = erfcxNonNegative(u);
    const inner = Math.log(ex * -z) + HALF_LOG_PI_OVER_2;
    const logBracket = log1mexp(inner);
    const value = -0.5 * z * z - HALF_LOG_2PI + logBracket;
    // Φ(z)/h(z) = ½·erfcx(u)·e^{-z²/2} / (φ(z)·bracket) = ½·√(2π)·erfcx(u) / bracket.
    const slope = (0.5 * ex) / (INV_SQRT_2PI * Math.exp(logBracket));
    return { value, slope };
  }
  // Asymptotic: h(z) ≈ φ(z)/z².
  return { value: -0.5 * z * z - HALF_LOG_2PI - 2 * Math.log(-z), slope: -z - 2 / z };
}

/**
 * Log expected improvement (for minimisation) of a normal posterior `N(mean, sd²)` below `best`,
 * with the partial derivatives with respect to mean and sd.
 */
export function logExpectedImprovement(mean: number, sd: number, best: number): { value: number; dMean: number; dSd: number } {
  const z = (best - mean) / sd;
  const { value, slope } = logH(z);
  // d/dmean = slope·(-1/sd); d/dsd = 1/sd + slope·(-z/sd).
  return { value: Math.log(sd) + value, dMean: -slope / sd, dSd: (1 - slope * z) / sd };
}

/** Inverse of the standard normal distribution function (Acklam's rational approximation, refined by one Halley step). */
export function normInv(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  let x: number;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p > 1 - 0.02425) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
  const e = normCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp(0.5 * x * x);
  return x - u / (1 + 0.5 * x * u);
}
