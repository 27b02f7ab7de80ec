import { HistoryTrial } from '../../../../src/search/history.types';
import { createRng } from '../../../../src/search/rng';
import { breed, evolutionSampler, genesOf } from '../../../../src/search/samplers/evolution/evolution.sampler';
import { EVOLUTION_DEFAULTS, EvolutionSettings } from '../../../../src/search/samplers/evolution/evolution.settings';
import { paramsKey } from '../../../../src/search/samplers/grid.sampler';
import { SAMPLERS } from '../../../../src/search/samplers/registry';
import { Direction } from '../../../../src/search/history.types';
import { membershipProblems } from '../../../../src/search/space/membership';
import { Params, SearchSpace } from '../../../../src/search/space/space.types';

const mixed: SearchSpace = {
  x: { type: 'float', low: -5, high: 5 },
  n: { type: 'int', low: 1, high: 9 },
  opt: { type: 'categorical', values: ['adam', 'sgd'] },
  momentum: { type: 'float', low: 0, high: 0.99, when: { opt: 'sgd' } },
};
const objective = (p: Params): number => (Number(p.x) - 1) ** 2 + Math.abs(Number(p.n) - 4) + (p.opt === 'sgd' ? (Number(p.momentum) - 0.9) ** 2 : 0.5);
const settings = (given: Record<string, unknown> = {}): EvolutionSettings => {
  const { settings: s, problems } = evolutionSampler.validateSettings(given, mixed);
  expect(problems).toEqual([]);
  return s;
};

/** Asks one trial at a time for `n` trials, returning the history; `f` scores the parameters. */
function run(space: SearchSpace, n: number, seed: number, s: EvolutionSettings, f = objective, direction: Direction = 'minimize'): HistoryTrial[] {
  const history: HistoryTrial[] = [];
  for (let k = 0; k < n; k++) {
    const [params] = evolutionSampler.suggest({ space, direction, history, pending: [], count: 1, rng: createRng(seed, k), settings: s, maxTrials: n });
    if (!params) break;
    history.push({ id: k + 1, number: k, state: k % 9 === 8 ? 'FAILED' : 'COMPLETE', params, value: k % 9 === 8 ? null : f(params), intermediate: [] });
  }
  return history;
}

describe('evolution sampler', () => {
  it('is registered, fills defaults, and reads mutationRate 0 as auto', () => {
    expect(SAMPLERS.evolution).toBe(evolutionSampler);
    expect(settings()).toEqual(EVOLUTION_DEFAULTS);
    expect(settings().mutationRate).toBe(0);
  });

  it('rejects out-of-range settings by path', () => {
    const { problems } = evolutionSampler.validateSettings(
      { populationSize: 1, tournamentSize: 0, crossoverRate: 1.5, mutationRate: -0.1, mutationScale: 0, crossoverEta: -1 },
      mixed,
    );
    expect(problems.map((p) => p.path).sort()).toEqual(
      ['crossoverEta', 'crossoverRate', 'mutationRate', 'mutationScale', 'populationSize', 'tournamentSize'].map((n) => `search.settings.${n}`),
    );
    expect(evolutionSampler.validateSettings({ populationSize: 7.5 }, mixed).problems).toHaveLength(1);
  });

  it.each([0, 0.5, 0.9])('mixes two parents at crossoverRate %s', (rate) => {
    const space: SearchSpace = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`g${i}`, { type: 'categorical', values: ['a', 'b'] }]));
    const genes = genesOf(space);
    const population = [0.25, 0.75].map((u, i) => ({ number: i, score: i, point: new Float64Array(10).fill(u) }));
    // Tournaments of one pick parents uniformly, so the two parents differ half the time; mutation is all but off.
    const s: EvolutionSettings = { ...EVOLUTION_DEFAULTS, tournamentSize: 1, crossoverRate: rate, mutationRate: 1e-12 };
    const rng = createRng(21);
    const draws = 10_000;
    let mixedChildren = 0;
    for (let t = 0; t < draws; t++) {
      const child = breed(genes, population, s, rng);
      if (new Set(child).size > 1) mixedChildren++;
    }
    expect(Math.abs(mixedChildren / draws - rate / 2)).toBeLessThan(0.02);
  });

  it('keeps every suggestion inside a conditional mixed space through the evolutionary phase', () => {
    const problems: string[] = [];
    for (let seed = 0; seed < 10; seed++)
      for (const t of run(mixed, 60, seed, settings({ populationSize: 6 }))) problems.push(...membershipProblems(mixed, t.params));
    expect(problems).toEqual([]);
  });

  it('starts with a Latin hypercube of populationSize points', () => {
    const space: SearchSpace = { a: { type: 'float', low: 0, high: 1 }, b: { type: 'float', low: 0, high: 1 } };
    const out = evolutionSampler.suggest({
      space,
      direction: 'minimize',
      history: [],
      pending: [],
      count: 8,
      rng: createRng(1),
      settings: settings(),
      maxTrials: 50,
    });
    for (const name of ['a', 'b']) expect(out.map((p) => Math.floor(Number(p[name]) * 8)).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('gives the same child for the same seed and history, and the same after a resume', () => {
    const s = settings({ populationSize: 6 });
    const uninterrupted = run(mixed, 40, 42, s);
    // A resumed service reads the history back from storage: a fresh copy, nothing else carried over.
    const stored: HistoryTrial[] = JSON.parse(JSON.stringify(uninterrupted.slice(0, 30)));
    const resumed = evolutionSampler.suggest({
      space: mixed,
      direction: 'minimize',
      history: stored,
      pending: [],
      count: 1,
      rng: createRng(42, 30),
      settings: s,
      maxTrials: 40,
    });
    expect(resumed).toEqual([uninterrupted[30].params]);
    const again = evolutionSampler.suggest({
      space: mixed,
      direction: 'minimize',
      history: stored,
      pending: [],
      count: 1,
      rng: createRng(42, 30),
      settings: s,
      maxTrials: 40,
    });
    expect(again).toEqual(resumed);
  });

  it('re-mutates children that repeat an evaluated or pending point, and stops when the space is exhausted', () => {
    const space: SearchSpace = { c: { type: 'categorical', values: ['a', 'b', 'c'] }, n: { type: 'int', low: 0, high: 2 } };
    const s = { ...settings(), populationSize: 2 };
    const all: Params[] = [];
    for (const c of ['a', 'b', 'c']) for (const n of [0, 1, 2]) all.push({ c, n });
    for (let seed = 0; seed < 20; seed++) {
      // Seven of nine evaluated, one pending: the only new point left is the last one.
      const history = all.slice(0, 7).map((params, i) => ({ id: i, number: i, state: 'COMPLETE' as const, params, value: i, intermediate: [] }));
      const out = evolutionSampler.suggest({
        space,
        direction: 'minimize',
        history,
        pending: [all[7]],
        count: 1,
        rng: createRng(seed),
        settings: s,
        maxTrials: 20,
      });
      expect(out).toEqual([all[8]]);
      const none = evolutionSampler.suggest({
        space,
        direction: 'minimize',
        history,
        pending: [all[7], all[8]],
        count: 2,
        rng: createRng(seed),
        settings: s,
        maxTrials: 20,
      });
      expect(none).toEqual([]);
    }
  });

  it('never repeats a point within a run or a batch while new points remain', () => {
    const space: SearchSpace = { c: { type: 'categorical', values: ['a', 'b', 'c', 'd'] }, n: { type: 'int', low: 0, high: 9 } };
    const history = run(space, 35, 3, settings({ populationSize: 4 }), (p) => Math.abs(Number(p.n) - 5) + (p.c === 'b' ? 0 : 1));
    expect(new Set(history.map((t) => paramsKey(t.params))).size).toBe(history.length);
    const batch = evolutionSampler.suggest({
      space,
      direction: 'minimize',
      history,
      pending: [],
      count: 4,
      rng: createRng(9),
      settings: settings({ populationSize: 4 }),
      maxTrials: 50,
    });
    const keys = new Set([...history.map((t) => paramsKey(t.params)), ...batch.map(paramsKey)]);
    expect(keys.size).toBe(history.length + 4);
  });

  it('respects the direction: children follow the better trials', () => {
    const space: SearchSpace = { x: { type: 'float', low: 0, high: 1 } };
    const meanOfLast = (direction: Direction): number => {
      let total = 0;
      for (let seed = 0; seed < 20; seed++) {
        const h = run(space, 40, seed, settings(), (p) => Number(p.x), direction);
        total += h.slice(-10).reduce((s, t) => s + Number(t.params.x), 0) / 10;
      }
      return total / 20;
    };
    expect(meanOfLast('minimize')).toBeLessThan(0.2);
    expect(meanOfLast('maximize')).toBeGreaterThan(0.8);
  });

  it('beats random search on a smooth mixed objective', () => {
    const best = (h: HistoryTrial[]) => Math.min(...h.filter((t) => t.value !== null).map((t) => t.value as number));
    let wins = 0;
    for (let seed = 0; seed < 15; seed++) {
      const evo = best(run(mixed, 60, seed, settings()));
      const rnd = SAMPLERS.random.suggest({
        space: mixed,
        direction: 'minimize',
        history: [],
        pending: [],
        count: 60,
        rng: createRng(seed),
        settings: {},
        maxTrials: 60,
      });
      if (evo <= Math.min(...rnd.map(objective))) wins++;
    }
    expect(wins).toBeGreaterThanOrEqual(11);
  });
});
