import fc from 'fast-check';
import { hypervolume, hypervolumeContributions } from '../../../../src/search/multi/hypervolume';
import { constrainedDominates, crowdingDistances, dominates, nondominatedFronts, nsgaOrder } from '../../../../src/search/multi/pareto';
import { createRng } from '../../../../src/search/rng';

const feasible = (losses: number[]) => ({ losses, violation: 0 });

describe('Pareto ranking', () => {
  it('dominance needs no worse everywhere and better somewhere', () => {
    expect(dominates([1, 2], [2, 2])).toBe(true);
    expect(dominates([1, 2], [1, 2])).toBe(false);
    expect(dominates([1, 3], [2, 2])).toBe(false);
  });

  it('constrained domination: feasible first, then smaller violation', () => {
    expect(constrainedDominates({ losses: [9, 9], violation: 0 }, { losses: [0, 0], violation: 0.1 })).toBe(true);
    expect(constrainedDominates({ losses: [9, 9], violation: 0.2 }, { losses: [0, 0], violation: 0.5 })).toBe(true);
    expect(constrainedDominates({ losses: [0, 0], violation: 0.5 }, { losses: [9, 9], violation: 0.2 })).toBe(false);
  });

  it('sorts into fronts where nothing in a front dominates another member and each member is dominated by the front before', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 })), { minLength: 1, maxLength: 30 }), (raw) => {
        const points = raw.map((p) => feasible(p));
        const fronts = nondominatedFronts(points);
        expect(fronts.flat().sort((a, b) => a - b)).toEqual(points.map((_, i) => i));
        fronts.forEach((front, f) => {
          for (const i of front) {
            for (const j of front) expect(dominates(points[i].losses, points[j].losses)).toBe(false);
            if (f > 0) expect(fronts[f - 1].some((j) => dominates(points[j].losses, points[i].losses))).toBe(true);
          }
        });
      }),
    );
  });

  it('gives the extremes of a front infinite crowding distance and ranks the first front first', () => {
    const points = [feasible([0, 4]), feasible([1, 2]), feasible([4, 0]), feasible([3, 3]), feasible([1.5, 1.8])];
    const [first] = nondominatedFronts(points);
    expect(first).toEqual([0, 1, 2, 4]);
    const crowd = crowdingDistances(first, points);
    expect(crowd[0]).toBe(Infinity);
    expect(crowd[2]).toBe(Infinity);
    expect(Number.isFinite(crowd[1])).toBe(true);
    expect(nsgaOrder(points).slice(-1)).toEqual([3]);
  });
});

describe('hypervolume', () => {
  it('matches hand-worked values in 2 and 3 dimensions', () => {
    expect(
      hypervolume(
        [
          [1, 2],
          [2, 1],
        ],
        [3, 3],
      ),
    ).toBeCloseTo(3);
    expect(hypervolume([[0, 0, 0]], [1, 1, 1])).toBeCloseTo(1);
    expect(
      hypervolume(
        [
          [0, 0.5, 0.5],
          [0.5, 0, 0.5],
          [0.5, 0.5, 0],
        ],
        [1, 1, 1],
      ),
    ).toBeCloseTo(0.5);
    expect(hypervolume([[5, 5]], [3, 3])).toBe(0);
  });

  it('agrees with a Monte Carlo estimate on random 3-objective sets', () => {
    const rng = createRng(3, 1);
    for (let trial = 0; trial < 3; trial++) {
      const pts = Array.from({ length: 12 }, () => [rng.next(), rng.next(), rng.next()]);
      let inside = 0;
      const draws = 40000;
      for (let k = 0; k < draws; k++) {
        const z = [rng.next(), rng.next(), rng.next()];
        if (pts.some((p) => p.every((v, i) => v <= z[i]))) inside++;
      }
      expect(Math.abs(hypervolume(pts, [1, 1, 1]) - inside / draws)).toBeLessThan(0.015);
    }
  });

  it('gives a dominated point no contribution', () => {
    const c = hypervolumeContributions(
      [
        [1, 1],
        [2, 2],
        [0, 3],
      ],
      [4, 4],
    );
    expect(c[1]).toBe(0);
    expect(c[0]).toBeGreaterThan(0);
  });
});
