import { HistoryTrial } from '../../../../src/search/history.types';
import { createRng } from '../../../../src/search/rng';
import { rankComplete, selectPopulation, tournament } from '../../../../src/search/samplers/evolution/population';
import { latinHypercube, extendStratified } from '../../../../src/search/samplers/evolution/stratified-design';
import { SearchSpace } from '../../../../src/search/space/space.types';

const space: SearchSpace = { x: { type: 'float', low: 0, high: 10 } };
const trial = (number: number, x: number, value: number | null, state: HistoryTrial['state'] = 'COMPLETE'): HistoryTrial => ({
  id: number + 100,
  number,
  state,
  params: { x },
  value,
  intermediate: [],
});

describe('evolution population', () => {
  it('ranks complete trials with a finite value, best first, ties by trial number, negating under maximize', () => {
    const history = [
      trial(0, 1, 5),
      trial(1, 2, 3),
      trial(2, 3, null, 'FAILED'),
      trial(3, 4, 1, 'PRUNED'),
      trial(4, 5, 3),
      trial(5, 6, Number.NaN),
      trial(6, 7, 9),
    ];
    expect(rankComplete(space, history, 'minimize').map((i) => i.number)).toEqual([1, 4, 0, 6]);
    expect(rankComplete(space, history, 'maximize').map((i) => i.number)).toEqual([6, 0, 1, 4]);
    expect(rankComplete(space, history, 'maximize')[0].score).toBe(-9);
    expect(selectPopulation(rankComplete(space, history, 'minimize'), 2).map((i) => i.number)).toEqual([1, 4]);
  });

  it.each([
    [2, 2, 0.75],
    [8, 3, 1 - (7 / 8) ** 3],
    [8, 1, 1 / 8],
    [10, 5, 1 - 0.9 ** 5],
  ])('a tournament of size %s over %s picks the best with probability 1 − (1 − 1/n)^k', (n, k, expected) => {
    const population = Array.from({ length: n }, (_, i) => i);
    const rng = createRng(11);
    const draws = 20_000;
    let best = 0;
    let worst = 0;
    for (let t = 0; t < draws; t++) {
      const winner = tournament(population, k, rng);
      if (winner === 0) best++;
      if (winner === n - 1) worst++;
    }
    expect(Math.abs(best / draws - expected)).toBeLessThan(0.015);
    // The worst wins only if drawn every time.
    expect(Math.abs(worst / draws - (1 / n) ** k)).toBeLessThan(0.01);
  });
});

describe('stratified initial design', () => {
  it('is a Latin hypercube: one point per stratum in every coordinate', () => {
    const points = latinHypercube(10, 4, createRng(3));
    for (let i = 0; i < 4; i++) {
      const strata = points.map((p) => Math.floor(p[i] * 10)).sort((a, b) => a - b);
      expect(strata).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
  });

  it('continues a design from the points already tried, ignoring inactive (NaN) coordinates', () => {
    const first = extendStratified([], 2, 6, 3, createRng(4));
    const rest = extendStratified([...first, Float64Array.of(Number.NaN, Number.NaN)], 2, 6, 3, createRng(5));
    for (let i = 0; i < 2; i++) {
      expect([...first, ...rest].map((p) => Math.floor(p[i] * 6)).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    }
  });
});
