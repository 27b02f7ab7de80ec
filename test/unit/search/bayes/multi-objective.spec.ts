import { HistoryTrial } from '../../../../src/search/history.types';
import { createRng } from '../../../../src/search/rng';
import { bayesSampler } from '../../../../src/search/samplers/bayes/bayes.sampler';
import { referencePoint } from '../../../../src/search/samplers/bayes/multi-objective';
import { Params, SearchSpace } from '../../../../src/search/space/space.types';

const space: SearchSpace = { x0: { type: 'float', low: 0, high: 1 }, x1: { type: 'float', low: 0, high: 1 } };
const settings = bayesSampler.validateSettings({}, space).settings;

/** Two conflicting objectives, (x0, (1 − x0)² + x1), on a grid of points; `violation` per point. */
function history(points: [number, number][], violation: (p: Params) => number = () => 0): HistoryTrial[] {
  return points.map(([x0, x1], i) => {
    const params = { x0, x1 };
    const values = [x0, (1 - x0) ** 2 + x1];
    return { id: i + 1, number: i + 1, state: 'COMPLETE', params, value: values[0], values, violation: violation(params), intermediate: [] };
  });
}

const design: [number, number][] = [
  [0.9, 0.8],
  [0.7, 0.2],
  [0.5, 0.6],
  [0.35, 0.9],
  [0.8, 0.4],
  [0.6, 0.1],
  [0.45, 0.3],
];

const ask = (h: HistoryTrial[], pending: Params[], count: number) =>
  bayesSampler.suggest({
    space,
    direction: 'minimize',
    objectives: ['minimize', 'minimize'],
    history: h,
    pending,
    count,
    rng: createRng(5, h.length),
    seed: 5,
    settings,
    maxTrials: 50,
  });

describe('bayes with several objectives', () => {
  it('is the same for the same input, and spreads a batch and pending trials (kriging believer)', () => {
    const h = history(design);
    const [alone] = ask(h, [], 1);
    expect(ask(h, [], 1)).toEqual([alone]);
    const batch = ask(h, [], 3);
    expect(batch[0]).toEqual(alone);
    expect(new Set(batch.map((p) => JSON.stringify(p))).size).toBe(3);
    const [withPending] = ask(h, [alone], 1);
    expect(withPending).not.toEqual(alone);
  });

  it('moves towards lower x1 (which improves the second objective without hurting the first)', () => {
    const h = history(design);
    const next = ask(h, [], 4);
    // The front is at x1 = 0; every observed x1 is at least 0.1.
    expect(next.filter((p) => (p.x1 as number) < 0.1).length).toBeGreaterThanOrEqual(3);
  });

  it('with no feasible trial yet, heads for less violation (x0 ≤ 0.2 is feasible)', () => {
    const h = history(design, (p) => Math.max(0, (p.x0 as number) - 0.2));
    const next = ask(h, [], 3);
    for (const p of next) expect(p.x0 as number).toBeLessThan(0.35);
  });

  it('with some feasible trials, keeps to the feasible region (x0 ≥ 0.5 is feasible)', () => {
    const h = history(design, (p) => Math.max(0, 0.5 - (p.x0 as number)));
    const next = ask(h, [], 4);
    expect(next.filter((p) => (p.x0 as number) >= 0.45).length).toBeGreaterThanOrEqual(3);
  });

  it('places the reference point at a quantile of the front plus a tenth of its range', () => {
    const front = [
      [0, 4],
      [1, 3],
      [2, 2],
      [3, 1],
      [4, 0],
    ];
    expect(referencePoint(front, [9, 9], 1)).toEqual([4.4, 4.4]);
    expect(referencePoint(front, [9, 9], 0.5)).toEqual([2.4, 2.4]);
    expect(referencePoint([], [9, 8], 0.9)).toEqual([9.1, 8.1]);
  });
});
