import fc from 'fast-check';
import { contributionWeights, greedyHypervolumeSubset, nadirReference } from '../../../../src/search/multi/hssp';
import { hypervolume } from '../../../../src/search/multi/hypervolume';

/** The greedy of the definition: every gain recomputed as HV(S ∪ {j}) − HV(S), ties to the lower index. */
function plainGreedy(points: number[][], size: number, ref: number[]): number[] {
  const chosen: number[] = [];
  while (chosen.length < Math.min(size, points.length)) {
    const base = hypervolume(
      chosen.map((i) => points[i]),
      ref,
    );
    let best = -1;
    let bestGain = -Infinity;
    points.forEach((_, j) => {
      if (chosen.includes(j)) return;
      const gain =
        hypervolume(
          [...chosen, j].map((i) => points[i]),
          ref,
        ) - base;
      if (gain > bestGain + 1e-12) {
        bestGain = gain;
        best = j;
      }
    });
    chosen.push(best);
  }
  return chosen;
}

describe('hypervolume subset selection', () => {
  it('puts the reference just beyond the worst point: 1.1 × positive, 0.9 × negative, a tiny value for 0', () => {
    const ref = nadirReference([
      [1, -2, 0],
      [3, -1, -4],
    ]);
    expect(ref[0]).toBeCloseTo(3.3, 12);
    expect(ref[1]).toBeCloseTo(-0.9, 12);
    expect(ref[2]).toBe(1e-12);
  });

  it('picks the point with the largest box first, then the largest gain over it (hand-worked in 2-D)', () => {
    // Alone, against (4, 4): 3, 4, 3. Over (2, 2) each corner point gains 1: tie, lower index first.
    const front = [
      [1, 3],
      [2, 2],
      [3, 1],
    ];
    expect(greedyHypervolumeSubset(front, 1, [4, 4])).toEqual([1]);
    expect(greedyHypervolumeSubset(front, 2, [4, 4])).toEqual([1, 0]);
    expect(greedyHypervolumeSubset(front, 3, [4, 4])).toEqual([1, 0, 2]);
    expect(greedyHypervolumeSubset(front, 9, [4, 4])).toHaveLength(3);
    expect(greedyHypervolumeSubset(front, 0, [4, 4])).toEqual([]);
  });

  it('spreads the subset along a front rather than taking neighbours (hand-worked)', () => {
    // Against (10, 10): (5, 5) has the largest box (25); over it, (1, 9) gains 4·1 = 4 and (9, 1) 4, but
    // (4.9, 5.1) gains only 0.1·4.9 ≈ 0.49, so the second pick is an end, not the near twin.
    const front = [
      [4.9, 5.1],
      [5, 5],
      [1, 9],
      [9, 1],
    ];
    expect(greedyHypervolumeSubset(front, 2, [10, 10])).toEqual([1, 2]);
  });

  it('makes the same choices as the plain greedy on random 2- and 3-objective fronts', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 2, max: 3 })
          .chain((m) =>
            fc.tuple(
              fc.array(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: m, maxLength: m }), { minLength: 1, maxLength: 12 }),
              fc.integer({ min: 1, max: 12 }),
            ),
          ),
        ([raw, size]) => {
          const points = raw.map((p) => p.map((v) => v / 4));
          const ref = points[0].map(() => 6);
          const lazy = greedyHypervolumeSubset(points, size, ref);
          const plain = plainGreedy(points, size, ref);
          // Equal gains may be taken in either order; what each takes must cover the same volume at every step.
          lazy.forEach((_, k) =>
            expect(
              hypervolume(
                lazy.slice(0, k + 1).map((i) => points[i]),
                ref,
              ),
            ).toBeCloseTo(
              hypervolume(
                plain.slice(0, k + 1).map((i) => points[i]),
                ref,
              ),
              9,
            ),
          );
          expect(new Set(lazy).size).toBe(lazy.length);
        },
      ),
    );
  });
});

describe('hypervolume-contribution weights', () => {
  it('weighs front members by exclusive volume over the largest, dominated and infeasible members by a tiny weight (hand-worked)', () => {
    // Reference: worst (3, 3) × 1.1. Exclusive boxes: (1, 3) 1 × 0.3, (2, 2) 1 × 1, (3, 1) 0.3 × 1; (3, 3) is dominated.
    const points = [
      [1, 3],
      [2, 2],
      [3, 1],
      [3, 3],
    ];
    const w = contributionWeights(points, [true, true, true, true]);
    expect(w[0]).toBeCloseTo(0.3, 9);
    expect(w[1]).toBeCloseTo(1, 12);
    expect(w[2]).toBeCloseTo(0.3, 9);
    expect(w[3]).toBe(1e-12);
    // Leaving (2, 2) out as infeasible: the reference stays at 3.3 and each end holds 2 × 0.3 on its own.
    const v = contributionWeights(points, [true, false, true, true]);
    expect(v[1]).toBe(1e-12);
    expect(v[0]).toBeCloseTo(1, 9);
    expect(v[2]).toBeCloseTo(1, 9);
  });

  it('gives every feasible member weight 1 when fewer than two are feasible', () => {
    expect(Array.from(contributionWeights([[1, 1]], [true]))).toEqual([1]);
    expect(
      Array.from(
        contributionWeights(
          [
            [1, 1],
            [2, 0],
          ],
          [false, true],
        ),
      ),
    ).toEqual([1e-12, 1]);
  });
});
