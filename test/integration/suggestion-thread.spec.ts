import { SAMPLERS } from '../../src/search/samplers/registry';
import { createRng } from '../../src/search/rng';
import { SuggestTask, runSuggestTask } from '../../src/trials/scheduler/suggest-task';
import { closeSuggestionPool, suggestParams } from '../../src/trials/scheduler/suggestion-source';

describe('suggestions computed in a worker thread', () => {
  afterAll(() => closeSuggestionPool());

  const costly = Object.values(SAMPLERS)
    .filter((s) => s.costly)
    .map((s) => s.name);

  it('some sampler is marked costly (bayes), so the off-thread path is exercised', () => {
    expect(costly).toContain('bayes');
  });

  it.each(costly)('%s gives the same suggestions in the worker as on the main thread', async (algorithm) => {
    const space = {
      x: { type: 'float' as const, low: -5, high: 10 },
      y: { type: 'float' as const, low: 0, high: 15 },
      c: { type: 'categorical' as const, values: ['a', 'b'] },
    };
    const rng = createRng(5, 0);
    const history = Array.from({ length: 12 }, (_, i) => {
      const params = { x: rng.uniform(-5, 10), y: rng.uniform(0, 15), c: rng.next() < 0.5 ? 'a' : 'b' };
      return {
        id: i + 1,
        number: i + 1,
        state: 'COMPLETE' as const,
        params,
        value: (params.x - 1) ** 2 + (params.y - 3) ** 2 + (params.c === 'a' ? 0 : 4),
        intermediate: [],
      };
    });
    const { settings } = SAMPLERS[algorithm].validateSettings({}, space);
    const task: SuggestTask = { algorithm, space, direction: 'minimize', history, pending: [], count: 2, seed: 3, stream: 13, settings, maxTrials: 40 };
    expect(await suggestParams(task)).toEqual(runSuggestTask(task));
  });
});
