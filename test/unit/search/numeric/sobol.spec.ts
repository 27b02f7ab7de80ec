import { createRng } from '../../../../src/search/rng';
import { SOBOL_MAX_DIMENSION, sobolPoints, sobolScramble } from '../../../../src/search/numeric/sobol';

describe('Sobol sequence', () => {
  it('starts with the standard unscrambled points (Joe–Kuo, Gray-code order)', () => {
    const p = sobolPoints(3, 0, 6);
    const rounded = Array.from(p, (v) => Math.round(v * 1e6) / 1e6);
    expect(rounded).toEqual([0, 0, 0, 0.5, 0.5, 0.5, 0.75, 0.25, 0.25, 0.25, 0.75, 0.75, 0.375, 0.375, 0.625, 0.875, 0.875, 0.125]);
  });

  it('continues from any start index exactly as the full sequence does', () => {
    const all = sobolPoints(5, 0, 40);
    const tail = sobolPoints(5, 17, 23);
    expect(Array.from(tail)).toEqual(Array.from(all.subarray(17 * 5)));
  });

  it('covers at least 21 dimensions with points in (0, 1)', () => {
    expect(SOBOL_MAX_DIMENSION).toBeGreaterThanOrEqual(21);
    const p = sobolPoints(SOBOL_MAX_DIMENSION, 0, 64, sobolScramble(SOBOL_MAX_DIMENSION, createRng(1)));
    for (const v of p) expect(v > 0 && v < 1).toBe(true);
  });

  it('scrambled points keep the net property: one point per elementary box', () => {
    const scramble = sobolScramble(8, createRng(42));
    const n = 256;
    const p = sobolPoints(8, 0, n, scramble);
    for (let j = 0; j < 8; j++) {
      const cells = new Set<number>();
      for (let k = 0; k < n; k++) cells.add(Math.floor(p[k * 8 + j] * n));
      expect(cells.size).toBe(n);
    }
    // Dimensions 1 and 2 form a (0, m, 2)-net: every 2^a × 2^b box with a + b = 8 holds one point.
    for (let a = 0; a <= 8; a++) {
      const cells = new Set<string>();
      for (let k = 0; k < n; k++) cells.add(`${Math.floor(p[k * 8] * 2 ** a)},${Math.floor(p[k * 8 + 1] * 2 ** (8 - a))}`);
      expect(cells.size).toBe(n);
    }
  });

  it('is uniform on average in every dimension, and the scramble depends on the seed only', () => {
    const d = 21;
    const p = sobolPoints(d, 0, 1024, sobolScramble(d, createRng(5)));
    for (let j = 0; j < d; j++) {
      let mean = 0;
      for (let k = 0; k < 1024; k++) mean += p[k * d + j];
      expect(mean / 1024).toBeCloseTo(0.5, 2);
    }
    expect(Array.from(sobolPoints(4, 0, 8, sobolScramble(4, createRng(9))))).toEqual(Array.from(sobolPoints(4, 0, 8, sobolScramble(4, createRng(9)))));
    expect(Array.from(sobolPoints(4, 0, 8, sobolScramble(4, createRng(9))))).not.toEqual(Array.from(sobolPoints(4, 0, 8, sobolScramble(4, createRng(10)))));
  });
});
