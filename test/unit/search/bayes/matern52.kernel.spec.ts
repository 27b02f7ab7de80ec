import { kernelMatrix, kernelParamsFromLog, matern52, matern52DerivR2, scaledDistance2 } from '../../../../src/search/samplers/bayes/matern52.kernel';
import { cholesky } from '../../../../src/search/numeric/cholesky';

describe('Matérn 5/2 kernel', () => {
  it('is 1 at distance 0 and matches the closed form elsewhere', () => {
    expect(matern52(0)).toBe(1);
    const r = 0.7;
    expect(matern52(r * r)).toBeCloseTo((1 + Math.sqrt(5) * r + (5 / 3) * r * r) * Math.exp(-Math.sqrt(5) * r), 14);
    expect(matern52(400)).toBeLessThan(1e-15);
  });

  it('has the derivative in r² it reports, finite at 0', () => {
    expect(matern52DerivR2(0)).toBeCloseTo(-5 / 6, 14);
    for (const r2 of [0.01, 0.3, 1, 4]) {
      const h = 1e-7;
      expect(matern52DerivR2(r2)).toBeCloseTo((matern52(r2 + h) - matern52(r2 - h)) / (2 * h), 6);
    }
  });

  it('scales numeric distances by ARD length-scales and treats categories by equality only', () => {
    const p = kernelParamsFromLog([Math.log(0.5), Math.log(2), 0, Math.log(1e-3)], 2);
    const isCat = new Uint8Array([0, 1]);
    expect(scaledDistance2([0.1, 2], 0, [0.4, 2], 0, 2, p.invL2, isCat)).toBeCloseTo(0.09 / 0.25, 12);
    // Category 0 vs 2 is as far as 0 vs 1: no ordinal distance.
    const d01 = scaledDistance2([0, 0], 0, [0, 1], 0, 2, p.invL2, isCat);
    const d02 = scaledDistance2([0, 0], 0, [0, 2], 0, 2, p.invL2, isCat);
    expect(d01).toBe(d02);
    expect(d01).toBeCloseTo(1 / 4, 12);
  });

  it('builds a symmetric positive-definite covariance matrix with noise on the diagonal', () => {
    const n = 12,
      d = 3;
    const X = Float64Array.from({ length: n * d }, (_, i) => (i * 0.618) % 1);
    const p = kernelParamsFromLog([Math.log(0.3), Math.log(0.5), Math.log(1), Math.log(2), Math.log(1e-4)], d);
    const K = kernelMatrix(X, n, d, p, new Uint8Array(d));
    for (let i = 0; i < n; i++) {
      expect(K[i * n + i]).toBeCloseTo(2 + 1e-4, 12);
      for (let j = 0; j < n; j++) expect(K[i * n + j]).toBe(K[j * n + i]);
    }
    expect(cholesky(K, n)).toBeDefined();
  });
});
