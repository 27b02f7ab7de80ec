import { createRng } from '../../../src/search/rng';
import { enumerateGrid, gridSampler } from '../../../src/search/samplers/grid.sampler';
import { randomSampler } from '../../../src/search/samplers/random.sampler';
import { HistoryTrial } from '../../../src/search/history.types';
import { Params, SearchSpace } from '../../../src/search/space/space.types';

const base = { direction: 'minimize' as const, rng: createRng(1), maxTrials: 100 };
const done = (params: Params[]): HistoryTrial[] =>
  params.map((p, i) => ({ id: i + 1, number: i + 1, state: 'COMPLETE', params: p, value: i, intermediate: [] }));

describe('grid sampler', () => {
  const space: SearchSpace = {
    opt: { type: 'categorical', values: ['adam', 'sgd'] },
    lr: { type: 'float', low: 0.001, high: 0.1, log: true, gridPoints: 3 },
    momentum: { type: 'float', low: 0, high: 0.5, step: 0.25, when: { opt: 'sgd' } },
  };

  it('enumerates every combination in a fixed order, conditional parameters only where active', () => {
    const grid = enumerateGrid(space);
    expect(grid).toHaveLength(3 + 3 * 3);
    expect(grid[0]).toEqual({ opt: 'adam', lr: 0.001 });
    expect(grid[1].lr).toBeCloseTo(0.01, 12);
    expect(grid[3]).toEqual({ opt: 'sgd', lr: 0.001, momentum: 0 });
    expect(grid[11]).toEqual({ opt: 'sgd', lr: 0.1, momentum: 0.5 });
  });

  it('skips points already finished or pending, and returns nothing when exhausted', () => {
    const { settings } = gridSampler.validateSettings({}, space);
    const all = enumerateGrid(space);
    const first = gridSampler.suggest({ ...base, space, history: done(all.slice(0, 4)), pending: [all[4]], count: 3, settings });
    expect(first).toEqual(all.slice(5, 8));
    expect(gridSampler.suggest({ ...base, space, history: done(all), pending: [], count: 3, settings })).toEqual([]);
  });

  it('refuses floats without step or gridPoints, and grids over the limit, naming the path', () => {
    expect(gridSampler.validateSettings({}, { x: { type: 'float', low: 0, high: 1 } }).problems).toEqual([
      { path: 'space.x', message: 'a float needs `step` or `gridPoints` for grid search' },
    ]);
    const big: SearchSpace = { a: { type: 'int', low: 1, high: 200 }, b: { type: 'int', low: 1, high: 200 } };
    expect(gridSampler.validateSettings({}, big).problems[0].path).toBe('space');
    expect(gridSampler.validateSettings({ maxPoints: 50_000 }, big).problems).toEqual([]);
    expect(gridSampler.validateSettings({ maxPoints: 0 }, big).problems[0]).toEqual({ path: 'search.settings.maxPoints', message: 'must be >= 1' });
  });
});

describe('random sampler', () => {
  it('is log-uniform on log parameters and honours steps and conditions', () => {
    const space: SearchSpace = {
      lr: { type: 'float', low: 1e-5, high: 1, log: true },
      n: { type: 'int', low: 0, high: 20, step: 5 },
      opt: { type: 'categorical', values: ['adam', 'sgd'] },
      m: { type: 'float', low: 0, high: 1, when: { opt: 'sgd' } },
    };
    const out = randomSampler.suggest({ ...base, rng: createRng(3), space, history: [], pending: [], count: 4000, settings: {} });
    const belowMilli = out.filter((p) => (p.lr as number) < 1e-3).length / out.length;
    expect(belowMilli).toBeGreaterThan(0.35); // log-uniform: 2 of 5 decades
    expect(belowMilli).toBeLessThan(0.45);
    expect(new Set(out.map((p) => p.n))).toEqual(new Set([0, 5, 10, 15, 20]));
    expect(out.every((p) => (p.opt === 'sgd') === (p.m !== undefined))).toBe(true);
  });
});
