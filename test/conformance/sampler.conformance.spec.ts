import fc from 'fast-check';
import { createRng } from '../../src/search/rng';
import { HistoryTrial } from '../../src/search/history.types';
import { SAMPLERS } from '../../src/search/samplers/registry';
import { Sampler } from '../../src/search/samplers/sampler.types';
import { membershipProblems } from '../../src/search/space/membership';
import { Params, SearchSpace } from '../../src/search/space/space.types';
import { arbitrarySpace } from '../support/arbitrary-space';

/** Builds a seeded history of `n` finished trials by asking the random sampler, scored by a fixed function. */
function historyFor(space: SearchSpace, n: number, seed: number): HistoryTrial[] {
  const rng = createRng(seed, 99);
  return SAMPLERS.random
    .suggest({ space, direction: 'minimize', history: [], pending: [], count: n, rng, settings: {}, maxTrials: 50 })
    .map((params: Params, i: number) => ({
      id: i + 1,
      number: i + 1,
      state: i % 7 === 6 ? 'FAILED' : 'COMPLETE',
      params,
      value: i % 7 === 6 ? null : score(params),
      intermediate: [],
    }));
}

function score(params: Params): number {
  return Object.values(params).reduce<number>((s, v, i) => s + (typeof v === 'number' ? Math.sin(v * (i + 1)) : String(v).length), 0);
}

function settingsFor(sampler: Sampler<any>, space: SearchSpace): unknown {
  const { settings, problems } = sampler.validateSettings({}, space);
  return problems.length ? undefined : settings;
}

describe.each(Object.values(SAMPLERS).map((s) => [s.name, s] as const))('sampler conformance: %s', (_name, sampler) => {
  const runs = { numRuns: 25 };
  const ask = (space: SearchSpace, historySize: number, seed: number, count: number) => {
    const settings = settingsFor(sampler, space);
    if (settings === undefined) return undefined; // e.g. grid refuses a space without float steps
    const history = historyFor(space, historySize, seed);
    const pending = historySize > 3 ? [history[0].params] : [];
    return sampler.suggest({
      space,
      direction: seed % 2 ? 'maximize' : 'minimize',
      history,
      pending,
      count,
      rng: createRng(seed, history.length),
      seed,
      settings,
      maxTrials: 50,
    });
  };

  it('suggests points inside the space: bounds, steps, categories and conditions', () => {
    fc.assert(
      fc.property(
        arbitrarySpace(),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 1, max: 3 }),
        (space, n, seed, count) => {
          const out = ask(space, n, seed, count);
          if (!out) return;
          expect(out.length).toBeLessThanOrEqual(count);
          for (const params of out) expect(membershipProblems(space, params)).toEqual([]);
        },
      ),
      runs,
    );
  });

  it('suggests points inside the space after a history long enough for its model (30 trials, some failed, one pending)', () => {
    // Samplers with a start-up phase (tpe: 10 finished trials, bayes: its design) only reach their model here.
    fc.assert(
      fc.property(arbitrarySpace(), fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 1, max: 3 }), (space, seed, count) => {
        const out = ask(space, 30, seed, count);
        if (!out) return;
        expect(out.length).toBeLessThanOrEqual(count);
        for (const params of out) expect(membershipProblems(space, params)).toEqual([]);
      }),
      { numRuns: 8 },
    );
  });

  it('never suggests NaN or infinite values', () => {
    fc.assert(
      fc.property(arbitrarySpace(), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 2 ** 31 }), (space, n, seed) => {
        for (const params of ask(space, n, seed, 2) ?? []) {
          for (const v of Object.values(params)) if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
        }
      }),
      runs,
    );
  });

  it('gives the same output for the same seed and history', () => {
    fc.assert(
      fc.property(arbitrarySpace(), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 2 ** 31 }), (space, n, seed) => {
        expect(ask(space, n, seed, 2)).toEqual(ask(space, n, seed, 2));
      }),
      runs,
    );
  });

  it('rejects unknown settings by name', () => {
    const { problems } = sampler.validateSettings({ noSuchSetting: 1 }, { x: { type: 'int', low: 0, high: 3 } });
    expect(problems.map((p) => p.path)).toContain('search.settings.noSuchSetting');
  });
});

/** A history with two objective values per trial (and a constraint broken by some), for the multi-objective samplers. */
function multiHistoryFor(space: SearchSpace, n: number, seed: number): HistoryTrial[] {
  return historyFor(space, n, seed).map((t, i) =>
    t.state === 'FAILED' ? t : { ...t, values: [t.value, score(t.params) ** 2 - t.value!], violation: i % 5 === 4 ? 0.5 : 0 },
  );
}

describe.each(
  Object.values(SAMPLERS)
    .filter((s) => s.multiObjective)
    .map((s) => [s.name, s] as const),
)('sampler conformance, several objectives and constraints: %s', (_name, sampler) => {
  const ask = (space: SearchSpace, n: number, seed: number, objectives: ('minimize' | 'maximize')[]) => {
    const settings = settingsFor(sampler, space);
    if (settings === undefined) return undefined;
    const history = multiHistoryFor(space, n, seed);
    return sampler.suggest({
      space,
      direction: objectives[0],
      objectives,
      history,
      pending: n > 3 ? [history[0].params] : [],
      count: 2,
      rng: createRng(seed, n),
      seed,
      settings,
      maxTrials: 50,
    });
  };

  it('suggests points inside the space, the same for the same seed and history', () => {
    fc.assert(
      fc.property(
        arbitrarySpace(),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.constantFrom<('minimize' | 'maximize')[]>(['minimize', 'maximize'], ['maximize', 'maximize', 'minimize'], ['minimize']),
        (space, n, seed, objectives) => {
          const out = ask(space, n, seed, objectives);
          for (const params of out ?? []) {
            expect(membershipProblems(space, params)).toEqual([]);
            for (const v of Object.values(params)) if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
          }
          expect(ask(space, n, seed, objectives)).toEqual(out);
        },
      ),
      { numRuns: 25 },
    );
  });
});
