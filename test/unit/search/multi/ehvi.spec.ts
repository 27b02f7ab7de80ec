import { boxDecomposition, logEhvi, nondominated } from '../../../../src/search/multi/ehvi';
import { hypervolume } from '../../../../src/search/multi/hypervolume';
import { createRng } from '../../../../src/search/rng';

/** Monte-Carlo EHVI: the mean hypervolume gain of draws from the independent normals. */
function monteCarloEhvi(front: number[][], ref: number[], mean: number[], sd: number[], draws: number, seed: number): { mean: number; se: number } {
  const rng = createRng(seed);
  const base = hypervolume(front, ref);
  let sum = 0,
    sum2 = 0;
  for (let i = 0; i < draws; i++) {
    const y = mean.map((m, j) => m + sd[j] * rng.normal());
    const gain = hypervolume([...front, y], ref) - base;
    sum += gain;
    sum2 += gain * gain;
  }
  const mu = sum / draws;
  return { mean: mu, se: Math.sqrt(Math.max(0, sum2 / draws - mu * mu) / draws) };
}

function randomFront(m: number, n: number, seed: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    // Points near the simplex sum = 1, so most of them are mutually non-dominated.
    const raw = Array.from({ length: m }, () => rng.next() + 0.05);
    const s = raw.reduce((a, b) => a + b, 0);
    return raw.map((v) => v / s + 0.1 * rng.next());
  });
}

describe('box decomposition', () => {
  it.each([1, 2, 3])('covers exactly the non-dominated region below the reference (%i objectives)', (m) => {
    for (let seed = 0; seed < 5; seed++) {
      const front = randomFront(m, 3 + seed * 3, seed);
      const ref = Array.from({ length: m }, () => 1.2);
      const dec = boxDecomposition(front, ref);
      // Clip the open lower bounds at 0 (every point is above it): boxes must fill [0, ref] minus the dominated part.
      let volume = 0;
      for (let k = 0; k < dec.count; k++) {
        let v = 1;
        for (let j = 0; j < m; j++) {
          const lo = dec.levels[j][dec.boxes[k * 2 * m + j]];
          const hi = dec.levels[j][dec.boxes[k * 2 * m + m + j]];
          v *= hi - Math.max(lo, 0);
        }
        volume += v;
      }
      expect(volume).toBeCloseTo(1.2 ** m - hypervolume(front, ref), 10);
    }
  });

  it('needs about two boxes per point for three objectives (steps of the staircase kept across slices)', () => {
    const rng = createRng(3);
    const sphere = Array.from({ length: 120 }, () => {
      const a = (rng.next() * Math.PI) / 2;
      const b = (rng.next() * Math.PI) / 2;
      return [Math.cos(a) * Math.cos(b), Math.cos(a) * Math.sin(b), Math.sin(a)];
    });
    expect(boxDecomposition(sphere, [1.1, 1.1, 1.1]).count).toBeLessThanOrEqual(2 * sphere.length + 1);
  });

  it('keeps only the non-dominated points', () => {
    expect(
      nondominated([
        [1, 2],
        [2, 1],
        [2, 2],
        [1, 2],
        [0.5, 3],
      ]),
    ).toEqual([
      [0.5, 3],
      [1, 2],
      [2, 1],
    ]);
  });

  it('is one unbounded box when nothing lies below the reference', () => {
    const dec = boxDecomposition([[2, 0]], [1, 1]);
    expect(dec.count).toBe(1);
    expect(Array.from(dec.levels[0])).toEqual([-Infinity, 1]);
  });
});

describe('logEhvi', () => {
  it.each([
    [2, 0],
    [2, 1],
    [3, 2],
    [3, 3],
  ])('matches a brute-force Monte-Carlo estimate (%i objectives, case %i)', (m, seed) => {
    const front = randomFront(m, 4 + seed, 10 + seed);
    const ref = Array.from({ length: m }, () => 1.3);
    const rng = createRng(seed, 7);
    const mean = Array.from({ length: m }, () => 0.2 + 0.6 * rng.next());
    const sd = Array.from({ length: m }, () => 0.05 + 0.3 * rng.next());
    const exact = Math.exp(logEhvi(boxDecomposition(front, ref), mean, sd).value);
    const mc = monteCarloEhvi(front, ref, mean, sd, 40_000, seed);
    expect(mc.mean).toBeGreaterThan(0);
    expect(Math.abs(exact - mc.mean)).toBeLessThan(4 * mc.se + 1e-9);
  });

  it('has the gradient of its finite differences, in the linear and in the log form', () => {
    const front = randomFront(3, 6, 4);
    const dec = boxDecomposition(front, [1.3, 1.3, 1.3]);
    // A near point (linear sum) and one far behind the front, where the improvement underflows.
    for (const [mean, sd] of [
      [
        [0.4, 0.3, 0.5],
        [0.2, 0.1, 0.3],
      ],
      [
        [9, 11, 8],
        [0.2, 0.1, 0.15],
      ],
    ]) {
      const r = logEhvi(dec, mean, sd);
      expect(Number.isFinite(r.value)).toBe(true);
      const h = 1e-6;
      for (let j = 0; j < 3; j++) {
        const up = [...mean];
        const dn = [...mean];
        up[j] += h;
        dn[j] -= h;
        const fd = (logEhvi(dec, up, sd).value - logEhvi(dec, dn, sd).value) / (2 * h);
        expect(r.dMean[j]).toBeCloseTo(fd, 3);
        const su = [...sd];
        const sdn = [...sd];
        su[j] += h;
        sdn[j] -= h;
        const fds = (logEhvi(dec, mean, su).value - logEhvi(dec, mean, sdn).value) / (2 * h);
        expect(r.dSd[j]).toBeCloseTo(fds, 3);
      }
    }
  });

  it('still orders candidates where the improvement underflows to 0', () => {
    const dec = boxDecomposition(
      [
        [0, 1],
        [1, 0],
      ],
      [2, 2],
    );
    const far = logEhvi(dec, [40, 40], [0.5, 0.5]).value;
    const farther = logEhvi(dec, [45, 45], [0.5, 0.5]).value;
    expect(Math.exp(far)).toBe(0);
    expect(Number.isFinite(farther)).toBe(true);
    expect(far).toBeGreaterThan(farther);
  });

  it('is the log expected improvement for one objective', () => {
    const dec = boxDecomposition([[0.3]], [1]);
    const r = logEhvi(dec, [0.5], [0.2]);
    // EI below 0.3 of N(0.5, 0.2²): σ·(zΦ(z) + φ(z)) with z = -1.
    const z = -1;
    const phi = Math.exp(-0.5) / Math.sqrt(2 * Math.PI);
    expect(Math.exp(r.value)).toBeCloseTo(0.2 * (z * 0.15865525393145707 + phi), 10);
  });
});

describe('logEhvi tails', () => {
  it('has no step where a bound crosses the asymptotic cut-offs (α = 6 above, −8 below)', () => {
    const dec = boxDecomposition(
      [
        [0, 1],
        [1, 0],
      ],
      [2, 2],
    );
    const sd = [0.3, 0.3];
    // The level at 2 (the reference) sits at α = (2 − μ)/σ: put it just either side of each cut-off.
    for (const alpha of [6, -8]) {
      const at = (a: number) => logEhvi(dec, [2 - a * sd[0], 0.5], sd).value;
      const below = at(alpha - 1e-9);
      const above = at(alpha + 1e-9);
      expect(Math.abs(below - above)).toBeLessThan(1e-5 * Math.max(1, Math.abs(below)));
    }
  });
});
