import { erfc, erfcx, logExpectedImprovement, logH, normCdf, normInv, normPdf } from '../../../../src/search/numeric/normal';

describe('normal distribution helpers', () => {
  it('erfc matches reference values across its range', () => {
    const ref: [number, number][] = [
      [0, 1],
      [0.5, 0.4795001221869535],
      [1, 0.15729920705028513],
      [2, 0.004677734981047266],
      [3, 2.209049699858544e-5],
      [5, 1.5374597944280349e-12],
      [-1, 1.8427007929497148],
    ];
    for (const [x, v] of ref) expect(Math.abs(erfc(x) - v) / v).toBeLessThan(1e-12);
    // Continuity where the implementation switches from the series to the continued fraction.
    expect(Math.abs(erfcx(2 - 1e-12) - erfcx(2 + 1e-12))).toBeLessThan(1e-12);
    expect(erfcx(30)).toBeCloseTo((1 / (30 * Math.sqrt(Math.PI))) * (1 - 1 / (2 * 900) + 3 / (4 * 900 * 900)), 9);
  });

  it('normCdf and normInv are inverses', () => {
    for (const p of [1e-10, 0.001, 0.02, 0.3, 0.5, 0.9, 0.999]) expect(normCdf(normInv(p)) / p).toBeCloseTo(1, 9);
    expect(normCdf(-10)).toBeCloseTo(7.619853024160527e-24, 35);
  });

  it('log h(z) agrees with the direct formula where both are stable, with the right slope', () => {
    for (let z = -8; z <= 5; z += 0.25) {
      const direct = Math.log(z * normCdf(z) + normPdf(z));
      const { value, slope } = logH(z);
      expect(Math.abs(value - direct)).toBeLessThan(1e-7 * Math.max(1, Math.abs(direct)));
      const h = 1e-6;
      const fd = (logH(z + h).value - logH(z - h).value) / (2 * h);
      expect(Math.abs(slope - fd)).toBeLessThan(1e-5 * Math.max(1, Math.abs(fd)));
    }
  });

  it('log h(z) stays finite and monotone far below the incumbent, where plain EI underflows', () => {
    let previous = -Infinity;
    for (const z of [-1e9, -1e6, -1e3, -100, -40, -38, -20]) {
      const { value, slope } = logH(z);
      expect(Number.isFinite(value)).toBe(true);
      expect(slope).toBeGreaterThan(0);
      expect(value).toBeGreaterThan(previous);
      previous = value;
    }
    expect(Math.log(-40 * normCdf(-40) + normPdf(-40))).toBe(-Infinity);
    // Asymptotically h(z) ≈ φ(z)/z².
    expect(logH(-50).value).toBeCloseTo(-1250 - 0.5 * Math.log(2 * Math.PI) - 2 * Math.log(50), 2);
  });

  it('log expected improvement has the derivatives it reports', () => {
    const h = 1e-6;
    for (const [m, s, b] of [
      [0.3, 0.5, 0],
      [2, 0.1, -1],
      [-1, 2, 0.5],
    ]) {
      const r = logExpectedImprovement(m, s, b);
      expect(r.value).toBeCloseTo(Math.log(s * logHDirect((b - m) / s)), 6);
      expect(r.dMean).toBeCloseTo((logExpectedImprovement(m + h, s, b).value - logExpectedImprovement(m - h, s, b).value) / (2 * h), 5);
      expect(r.dSd).toBeCloseTo((logExpectedImprovement(m, s + h, b).value - logExpectedImprovement(m, s - h, b).value) / (2 * h), 5);
    }
  });
});

function logHDirect(z: number): number {
  return z * normCdf(z) + normPdf(z);
}
