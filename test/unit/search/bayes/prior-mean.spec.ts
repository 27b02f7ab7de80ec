import { HistoryTrial } from '../../../../src/search/history.types';
import { createRng } from '../../../../src/search/rng';
import { bayesSampler } from '../../../../src/search/samplers/bayes/bayes.sampler';
import { featureSpace } from '../../../../src/search/samplers/bayes/features';
import { collectObservations, gpData } from '../../../../src/search/samplers/bayes/observations';
import { Params, SearchSpace } from '../../../../src/search/space/space.types';

const BOX: SearchSpace = { x: { type: 'float', low: -1, high: 1 }, y: { type: 'float', low: -1, high: 1 } };

function trial(n: number, params: Params, value: number): HistoryTrial {
  return { id: n, number: n, state: 'COMPLETE', params, value, intermediate: [] };
}

describe('bayes prior mean', () => {
  it('defaults to the worst result seen; average is the old behaviour', () => {
    expect(bayesSampler.validateSettings({}, BOX).settings.priorMean).toBe('worst');
    expect(bayesSampler.validateSettings({ priorMean: 'average' }, BOX).problems).toEqual([]);
    expect(bayesSampler.validateSettings({ priorMean: 'best' }, BOX).problems.map((p) => p.path)).toEqual(['search.settings.priorMean']);
  });

  it('shifts the standardised data so that the worst result sits at the GP prior mean 0, keeping the spread', () => {
    const fs = featureSpace(BOX);
    const history = [0.1, 5, 2, 3, 0.5].map((v, i) => trial(i + 1, { x: i / 5, y: -i / 5 }, v));
    const obs = collectObservations(fs, history, 'minimize');
    const idx = [0, 1, 2, 3, 4];
    const average = gpData(fs, obs, idx, 'none', 'average');
    const worst = gpData(fs, obs, idx, 'none', 'worst');
    expect(average.y.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12);
    expect(Math.max(...worst.y)).toBe(0);
    for (let i = 0; i < 5; i++) expect(worst.y[i] - worst.y[1]).toBeCloseTo(average.y[i] - average.y[1], 12);
  });

  it('on an Ackley landscape sends fewer late trials to the plateau than the average prior mean does', () => {
    // Ackley 3-D on its usual box: a plateau near 20-22 over most of the box, a funnel to 0 at the centre.
    const space: SearchSpace = Object.fromEntries(['a', 'b', 'c'].map((k) => [k, { type: 'float', low: -32.768, high: 32.768 }]));
    const ackley = (p: Params): number => {
      const x = Object.values(p) as number[];
      const sq = x.reduce((s, v) => s + v * v, 0) / x.length;
      const cs = x.reduce((s, v) => s + Math.cos(2 * Math.PI * v), 0) / x.length;
      return -20 * Math.exp(-0.2 * Math.sqrt(sq)) - Math.exp(cs) + 20 + Math.E;
    };
    const plateauTrials = (priorMean: string): number => {
      const settings = bayesSampler.validateSettings({ priorMean }, space).settings;
      const history: HistoryTrial[] = [];
      for (let t = 1; t <= 50; t++) {
        const [p] = bayesSampler.suggest({
          space,
          direction: 'minimize',
          history,
          pending: [],
          count: 1,
          rng: createRng(1, t),
          seed: 1,
          settings,
          maxTrials: 50,
        });
        history.push(trial(t, p, ackley(p)));
      }
      return history.slice(30).filter((t) => (t.value as number) > 19).length;
    };
    // Seed 1: 7 of the last 20 on the plateau against 17.
    expect(plateauTrials('worst')).toBeLessThan(plateauTrials('average') / 2);
  });
});
