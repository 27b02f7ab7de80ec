import { HistoryTrial } from '../../../../src/search/history.types';
import { createRng } from '../../../../src/search/rng';
import { bayesSampler } from '../../../../src/search/samplers/bayes/bayes.sampler';
import { clearFitMemo, fitCheckpoint, isAnchor } from '../../../../src/search/samplers/bayes/fit-schedule';
import { findSampler } from '../../../../src/search/samplers/registry';
import { membershipProblems } from '../../../../src/search/space/membership';
import { Params, SearchSpace } from '../../../../src/search/space/space.types';

const BRANIN: SearchSpace = { x: { type: 'float', low: -5, high: 10 }, y: { type: 'float', low: 0, high: 15 } };
const branin = (p: Params): number => {
  const x = p.x as number,
    y = p.y as number;
  return (y - (5.1 / (4 * Math.PI ** 2)) * x * x + (5 / Math.PI) * x - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x) + 10;
};

function settings(given: Record<string, unknown> = {}) {
  const r = bayesSampler.validateSettings(given, BRANIN);
  expect(r.problems).toEqual([]);
  return r.settings;
}

function trial(n: number, params: Params, value: number | null, state: HistoryTrial['state'] = 'COMPLETE'): HistoryTrial {
  return { id: n, number: n, state, params, value, intermediate: [] };
}

function optimise(space: SearchSpace, f: (p: Params) => number, budget: number, seed: number, direction: 'minimize' | 'maximize' = 'minimize'): HistoryTrial[] {
  const history: HistoryTrial[] = [];
  const s = bayesSampler.validateSettings({}, space).settings;
  for (let t = 1; t <= budget; t++) {
    const [p] = bayesSampler.suggest({ space, direction, history, pending: [], count: 1, rng: createRng(seed, t), settings: s, maxTrials: budget });
    history.push(trial(t, p, f(p)));
  }
  return history;
}

describe('bayes sampler', () => {
  it('is registered', () => {
    expect(findSampler('bayes')).toBe(bayesSampler);
  });

  it('finds the Branin optimum region within 40 evaluations', () => {
    const history = optimise(BRANIN, branin, 40, 3);
    const best = Math.min(...history.map((t) => t.value as number));
    expect(best - 0.397887).toBeLessThan(0.1);
  });

  it('also optimises with UCB as the acquisition', () => {
    const history: HistoryTrial[] = [];
    const s = settings({ acquisition: 'ucb' });
    for (let t = 1; t <= 25; t++) {
      const [p] = bayesSampler.suggest({
        space: BRANIN,
        direction: 'minimize',
        history,
        pending: [],
        count: 1,
        rng: createRng(8, t),
        settings: s,
        maxTrials: 25,
      });
      history.push(trial(t, p, branin(p)));
    }
    expect(Math.min(...history.map((t) => t.value as number)) - 0.397887).toBeLessThan(1);
  });

  it('refits hyperparameters on a schedule that thins out as the history grows', () => {
    expect([5, 15, 16, 17, 18, 31, 33, 100, 300].map(fitCheckpoint)).toEqual([5, 15, 16, 16, 18, 30, 32, 96, 288]);
    expect([8, 16, 18, 64, 96].map(isAnchor)).toEqual([true, true, false, true, false]);
  });

  it('maximises when asked to', () => {
    const history = optimise(BRANIN, (p) => -branin(p), 30, 5, 'maximize');
    expect(Math.max(...history.map((t) => t.value as number))).toBeGreaterThan(-0.397887 - 0.5);
  });

  it('validates settings with full paths', () => {
    const { problems } = bayesSampler.validateSettings({ acquisition: 'pi', noiseFloor: 0, candidates: 3.5, nope: 1 }, BRANIN);
    expect(problems.map((p) => p.path).sort()).toEqual([
      'search.settings.acquisition',
      'search.settings.candidates',
      'search.settings.noiseFloor',
      'search.settings.nope',
    ]);
    expect(settings({ acquisition: 'ucb' }).acquisition).toBe('ucb');
  });

  it('starts with a space-filling design of max(5, d + 1) points', () => {
    const out = bayesSampler.suggest({
      space: BRANIN,
      direction: 'minimize',
      history: [],
      pending: [],
      count: 5,
      rng: createRng(1, 1),
      settings: settings(),
      maxTrials: 50,
    });
    expect(out).toHaveLength(5);
    // Spread: no two design points closer than a tenth of the range in both coordinates.
    for (let i = 0; i < 5; i++)
      for (let j = 0; j < i; j++) {
        const close = Math.abs((out[i].x as number) - (out[j].x as number)) < 1.5 && Math.abs((out[i].y as number) - (out[j].y as number)) < 1.5;
        expect(close).toBe(false);
      }
  });

  it('draws the same design point whichever of two running trials finished first', () => {
    // Trials 0 and 1 are in flight; trial 2 is asked for after one of them has finished.
    const s = settings();
    const [p0, p1] = bayesSampler.suggest({
      space: BRANIN,
      direction: 'minimize',
      history: [],
      pending: [],
      count: 2,
      rng: createRng(9, 0),
      seed: 9,
      settings: s,
      maxTrials: 30,
    });
    const askThird = (done: HistoryTrial, running: Params) =>
      bayesSampler.suggest({
        space: BRANIN,
        direction: 'minimize',
        history: [done],
        pending: [running],
        count: 1,
        rng: createRng(9, 2),
        seed: 9,
        settings: s,
        maxTrials: 30,
      });
    expect(askThird(trial(0, p0, branin(p0)), p1)).toEqual(askThird(trial(1, p1, branin(p1)), p0));
  });

  it('ignores failed trials and clips non-finite values', () => {
    const history = optimise(BRANIN, branin, 8, 2);
    history.push(trial(9, { x: 0, y: 0 }, null, 'FAILED'), trial(10, { x: 1, y: 1 }, Infinity), trial(11, { x: 2, y: 2 }, NaN));
    const out = bayesSampler.suggest({
      space: BRANIN,
      direction: 'minimize',
      history,
      pending: [],
      count: 2,
      rng: createRng(2, 12),
      settings: settings(),
      maxTrials: 50,
    });
    expect(out).toHaveLength(2);
    for (const p of out) expect(membershipProblems(BRANIN, p)).toEqual([]);
  });

  it('spreads a batch out using pending points', () => {
    const history = optimise(BRANIN, branin, 12, 4);
    const out = bayesSampler.suggest({
      space: BRANIN,
      direction: 'minimize',
      history,
      pending: [history[0].params],
      count: 4,
      rng: createRng(4, 13),
      settings: settings(),
      maxTrials: 50,
    });
    expect(out).toHaveLength(4);
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < i; j++) {
        const dist = Math.hypot((out[i].x as number) - (out[j].x as number), (out[i].y as number) - (out[j].y as number));
        expect(dist).toBeGreaterThan(1e-3);
      }
  });

  it('never repeats an evaluated point in a discrete space and stops when it is exhausted', () => {
    const space: SearchSpace = { c: { type: 'categorical', values: ['a', 'b', 'c'] }, k: { type: 'int', low: 0, high: 2 } };
    const score = (p: Params): number => (p.c === 'b' ? 0 : 1) + Math.abs((p.k as number) - 1);
    const history: HistoryTrial[] = [];
    const s = bayesSampler.validateSettings({}, space).settings;
    for (let t = 1; t <= 12; t++) {
      const out = bayesSampler.suggest({ space, direction: 'minimize', history, pending: [], count: 1, rng: createRng(9, t), settings: s, maxTrials: 20 });
      if (out.length === 0) break;
      history.push(trial(t, out[0], score(out[0])));
    }
    const keys = history.map((t) => `${t.params.c}${t.params.k}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBe(9);
  });

  it('handles conditional parameters and gives identical output with or without the fit memo', () => {
    const space: SearchSpace = {
      opt: { type: 'categorical', values: ['sgd', 'adam'] },
      lr: { type: 'float', low: 1e-4, high: 1, log: true },
      momentum: { type: 'float', low: 0, high: 0.99, when: { opt: 'sgd' } },
      units: { type: 'int', low: 16, high: 256, step: 16 },
    };
    const f = (p: Params): number =>
      (Math.log10(p.lr as number) + 2) ** 2 + (p.opt === 'sgd' ? ((p.momentum as number) - 0.9) ** 2 : 0.2) + Math.abs((p.units as number) - 128) / 256;
    const history = optimise(space, f, 30, 6);
    for (const t of history) expect(membershipProblems(space, t.params)).toEqual([]);
    const s = bayesSampler.validateSettings({}, space).settings;
    const ask = () => bayesSampler.suggest({ space, direction: 'minimize', history, pending: [], count: 2, rng: createRng(6, 31), settings: s, maxTrials: 50 });
    const warm = ask();
    clearFitMemo();
    expect(ask()).toEqual(warm);
  });
});
