import { cholesky, choleskyInverse, choleskySolve, choleskyWithJitter, logDiagSum } from '../../../../src/search/numeric/cholesky';

function spd(n: number, seed: number): Float64Array {
  // A = B Bᵀ + n I with a fixed pseudo-random B.
  let s = seed;
  const rand = (): number => (s = (s * 16807) % 2147483647) / 2147483647 - 0.5;
  const B = Float64Array.from({ length: n * n }, rand);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let v = i === j ? n : 0;
      for (let k = 0; k < n; k++) v += B[i * n + k] * B[j * n + k];
      A[i * n + j] = v;
    }
  return A;
}

const matVec = (A: ArrayLike<number>, x: ArrayLike<number>, n: number): Float64Array =>
  Float64Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, k) => A[i * n + k] * x[k]).reduce((a, b) => a + b, 0));

describe('cholesky', () => {
  it('factors A = L Lᵀ with L lower-triangular', () => {
    const n = 7;
    const A = spd(n, 3);
    const L = cholesky(A, n)!;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        if (j > i) expect(L[i * n + j]).toBe(0);
        let v = 0;
        for (let k = 0; k < n; k++) v += L[i * n + k] * L[j * n + k];
        expect(v).toBeCloseTo(A[i * n + j], 10);
      }
    // log det A = 2 Σ log L_ii, checked on a 2×2 by hand.
    const two = cholesky([4, 2, 2, 3], 2)!;
    expect(2 * logDiagSum(two, 2)).toBeCloseTo(Math.log(4 * 3 - 2 * 2), 12);
  });

  it('solves A x = b and inverts A', () => {
    const n = 9;
    const A = spd(n, 11);
    const L = cholesky(A, n)!;
    const b = Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1));
    const x = choleskySolve(L, b, n);
    matVec(A, x, n).forEach((v, i) => expect(v).toBeCloseTo(b[i], 10));
    const inv = choleskyInverse(L, n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let v = 0;
        for (let k = 0; k < n; k++) v += A[i * n + k] * inv[k * n + j];
        expect(v).toBeCloseTo(i === j ? 1 : 0, 10);
      }
  });

  it('returns undefined for an indefinite matrix and escalates jitter for a singular one', () => {
    expect(cholesky([1, 2, 2, 1], 2)).toBeUndefined();
    const singular = [1, 1, 1, 1];
    const r = choleskyWithJitter(singular, 2)!;
    expect(r).toBeDefined();
    expect(r.jitter).toBeGreaterThan(0);
    expect(r.jitter).toBeLessThan(1e-3);
    expect(choleskyWithJitter([NaN, 0, 0, 1], 2)).toBeUndefined();
  });
});
