import { Direction, HistoryTrial } from '../../../../src/search/history.types';
import { createRng } from '../../../../src/search/rng';
import { cmaConstants, initialState, updateState } from '../../../../src/search/samplers/cmaes/cma-state';
import { cmaesSampler, CmaesSettings, replayState } from '../../../../src/search/samplers/cmaes/cmaes.sampler';
import { symmetricEigen } from '../../../../src/search/samplers/cmaes/symmetric-eigen';
import { SAMPLERS } from '../../../../src/search/samplers/registry';
import { membershipProblems } from '../../../../src/search/space/membership';
import { Params, SearchSpace } from '../../../../src/search/space/space.types';

const sphereSpace: SearchSpace = {
  a: { type: 'float', low: -5, high: 5 },
  b: { type: 'float', low: -5, high: 5 },
  c: { type: 'float', low: 1e-3, high: 10, log: true },
  n: { type: 'int', low: 0, high: 50 },
};
const sphere = (p: Params): number => (Number(p.a) - 1) ** 2 + (Number(p.b) + 2) ** 2 + Math.log10(Number(p.c)) ** 2 + (Number(p.n) - 20) ** 2 / 100;
const defaults = (): CmaesSettings => cmaesSampler.validateSettings({}, sphereSpace).settings;

function run(n: number, seed: number, direction: Direction = 'minimize', f = sphere): HistoryTrial[] {
  const history: HistoryTrial[] = [];
  for (let k = 0; k < n; k++) {
    const [params] = cmaesSampler.suggest({
      space: sphereSpace,
      direction,
      history,
      pending: [],
      count: 1,
      rng: createRng(seed, k),
      settings: defaults(),
      maxTrials: n,
    });
    history.push({ id: k + 1, number: k, state: 'COMPLETE', params, value: f(params), intermediate: [] });
  }
  return history;
}

describe('symmetric eigen-decomposition', () => {
  it('reconstructs a random symmetric matrix from orthonormal eigenvectors', () => {
    const rng = createRng(1);
    const n = 6;
    const m = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) m[i * n + j] = m[j * n + i] = rng.normal();
    const { values, vectors } = symmetricEigen(m, n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let back = 0;
        let dot = 0;
        for (let k = 0; k < n; k++) {
          back += vectors[i * n + k] * values[k] * vectors[j * n + k];
          dot += vectors[k * n + i] * vectors[k * n + j];
        }
        expect(back).toBeCloseTo(m[i * n + j], 9);
        expect(dot).toBeCloseTo(i === j ? 1 : 0, 9);
      }
    }
  });
});

describe('cmaes sampler', () => {
  it('is registered and uses the textbook constants', () => {
    expect(SAMPLERS.cmaes).toBe(cmaesSampler);
    expect(cmaConstants(2).lambda).toBe(6);
    expect(cmaConstants(6).lambda).toBe(9);
    expect(cmaConstants(6).weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12);
  });

  it('refuses categorical and conditional parameters at search.algorithm, and bad settings by path', () => {
    const space: SearchSpace = { x: { type: 'float', low: 0, high: 1 }, opt: { type: 'categorical', values: ['a', 'b'] } };
    const { problems } = cmaesSampler.validateSettings({}, space);
    expect(problems).toEqual([expect.objectContaining({ path: 'search.algorithm' })]);
    expect(problems[0].message).toContain('opt');
    expect(
      cmaesSampler
        .validateSettings({ sigma0: 0, populationSize: 1 }, sphereSpace)
        .problems.map((p) => p.path)
        .sort(),
    ).toEqual(['search.settings.populationSize', 'search.settings.sigma0']);
  });

  it('converges on a shifted sphere and keeps every point in the space', () => {
    for (let seed = 0; seed < 3; seed++) {
      const history = run(150, seed);
      for (const t of history) expect(membershipProblems(sphereSpace, t.params)).toEqual([]);
      expect(Math.min(...history.map((t) => t.value as number))).toBeLessThan(0.05);
    }
  });

  it('respects the direction', () => {
    const up = run(120, 3, 'maximize', (p) => -sphere(p));
    expect(Math.max(...up.map((t) => t.value as number))).toBeGreaterThan(-0.2);
    const down = run(120, 3, 'minimize', (p) => -sphere(p));
    expect(Math.max(...down.slice(-20).map((t) => t.value as number))).toBeLessThan(-5);
  });

  it('moves the mean towards the better points of a generation', () => {
    const k = cmaConstants(2, 4);
    const next = updateState(initialState(2, 0.2), k, [
      [0.9, 0.9],
      [0.8, 0.7],
      [0.1, 0.2],
      [0.2, 0.1],
    ]);
    expect(next.mean[0]).toBeGreaterThan(0.8);
    expect(next.generation).toBe(1);
  });

  it('replays the same distribution, and the same child, from a fresh copy of the history', () => {
    const uninterrupted = run(40, 7);
    const stored: HistoryTrial[] = JSON.parse(JSON.stringify(uninterrupted.slice(0, 30)));
    expect(replayState(sphereSpace, stored, 'minimize', defaults())).toEqual(replayState(sphereSpace, uninterrupted.slice(0, 30), 'minimize', defaults()));
    const resumed = cmaesSampler.suggest({
      space: sphereSpace,
      direction: 'minimize',
      history: stored,
      pending: [],
      count: 1,
      rng: createRng(7, 30),
      settings: defaults(),
      maxTrials: 40,
    });
    expect(resumed).toEqual([uninterrupted[30].params]);
  });

  it('avoids repeating evaluated or pending points of a small integer space, and stops when it is exhausted', () => {
    const space: SearchSpace = { n: { type: 'int', low: 0, high: 3 } };
    const history: HistoryTrial[] = [0, 1, 2].map((n, i) => ({ id: i, number: i, state: 'COMPLETE', params: { n }, value: n, intermediate: [] }));
    const settings = cmaesSampler.validateSettings({}, space).settings;
    const ask = (pending: Params[]) =>
      cmaesSampler.suggest({ space, direction: 'minimize', history, pending, count: 1, rng: createRng(5), settings, maxTrials: 10 });
    expect(ask([])).toEqual([{ n: 3 }]);
    expect(ask([{ n: 3 }])).toEqual([]);
  });
});
