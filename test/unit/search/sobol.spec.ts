import { HistoryTrial } from '../../../src/search/history.types';
import { createRng } from '../../../src/search/rng';
import { findSampler } from '../../../src/search/samplers/registry';
import { sobolSampler } from '../../../src/search/samplers/sobol.sampler';
import { SearchSpace } from '../../../src/search/space/space.types';

const SPACE: SearchSpace = { a: { type: 'float', low: 0, high: 1 }, b: { type: 'float', low: 0, high: 1 } };
const settings = (given: Record<string, unknown> = {}) => sobolSampler.validateSettings(given, SPACE).settings;
const ask = (history: HistoryTrial[], pending: Record<string, number>[], count: number, s = settings()) =>
  sobolSampler.suggest({ space: SPACE, direction: 'minimize', history, pending, count, rng: createRng(1, history.length + 1), settings: s, maxTrials: 100 });

describe('sobol sampler', () => {
  it('is registered and validates its settings', () => {
    expect(findSampler('sobol')).toBe(sobolSampler);
    expect(
      sobolSampler
        .validateSettings({ seed: -2, foo: 1 }, SPACE)
        .problems.map((p) => p.path)
        .sort(),
    ).toEqual(['search.settings.foo', 'search.settings.seed']);
  });

  it('indexes the sequence by finished plus pending trials, so one-at-a-time equals a batch', () => {
    const batch = ask([], [], 8);
    const history: HistoryTrial[] = [];
    const pending = [batch[0], batch[1]] as Record<string, number>[];
    const next = ask(history, pending, 6);
    expect(next).toEqual(batch.slice(2));
    history.push({ id: 1, number: 1, state: 'FAILED', params: batch[0], value: null, intermediate: [] });
    expect(ask(history, [batch[1] as Record<string, number>], 1)).toEqual([batch[2]]);
  });

  it("takes the experiment's seed for its scramble unless settings give one", () => {
    const withSeed = (seed: number) =>
      sobolSampler.suggest({
        space: SPACE,
        direction: 'minimize',
        history: [],
        pending: [],
        count: 3,
        rng: createRng(1, 1),
        seed,
        settings: settings(),
        maxTrials: 100,
      });
    expect(withSeed(1)).toEqual(withSeed(1));
    expect(withSeed(1)).not.toEqual(withSeed(2));
  });

  it('spreads points evenly and depends on the seed', () => {
    const pts = ask([], [], 16);
    const cells = new Set(pts.map((p) => `${Math.floor((p.a as number) * 4)},${Math.floor((p.b as number) * 4)}`));
    expect(cells.size).toBe(16);
    expect(ask([], [], 4, settings({ seed: 7 }))).not.toEqual(ask([], [], 4));
    const plain = ask([], [], 2, settings({ scramble: false }))[1];
    expect(plain.a).toBeCloseTo(0.5, 8);
    expect(plain.b).toBeCloseTo(0.5, 8);
  });
});
