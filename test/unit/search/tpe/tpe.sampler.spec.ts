import { HistoryTrial } from '../../../../src/search/history.types';
import { createRng } from '../../../../src/search/rng';
import { findSampler } from '../../../../src/search/samplers/registry';
import { finishedCount, rankedTrials, splitTrials } from '../../../../src/search/samplers/tpe/tpe-observations';
import { groupDecomposition } from '../../../../src/search/samplers/tpe/tpe-space';
import { modelGroups, tpeSampler } from '../../../../src/search/samplers/tpe/tpe.sampler';
import { defaultGamma, defaultWeights, TpeSettings } from '../../../../src/search/samplers/tpe/tpe.settings';
import { membershipProblems } from '../../../../src/search/space/membership';
import { Params, SearchSpace } from '../../../../src/search/space/space.types';

const SPHERE: SearchSpace = { x: { type: 'float', low: -5, high: 5 }, y: { type: 'float', low: -5, high: 5 } };
const sphere = (p: Params): number => ((p.x as number) - 1.5) ** 2 + ((p.y as number) + 2) ** 2;

function settings(given: Record<string, unknown> = {}, space: SearchSpace = SPHERE): TpeSettings {
  const r = tpeSampler.validateSettings(given, space);
  expect(r.problems).toEqual([]);
  return r.settings;
}

function trial(n: number, params: Params, value: number | null, state: HistoryTrial['state'] = 'COMPLETE'): HistoryTrial {
  return { id: n, number: n, state, params, value, intermediate: [] };
}

function optimise(space: SearchSpace, f: (p: Params) => number, budget: number, seed: number, given: Record<string, unknown> = {}): HistoryTrial[] {
  const history: HistoryTrial[] = [];
  const s = settings(given, space);
  for (let t = 1; t <= budget; t++) {
    const [p] = tpeSampler.suggest({
      space,
      direction: 'minimize',
      history,
      pending: [],
      count: 1,
      rng: createRng(seed, t),
      seed,
      settings: s,
      maxTrials: budget,
    });
    history.push(trial(t, p, f(p)));
  }
  return history;
}

describe('tpe sampler', () => {
  it('is registered as tpe, with the defaults of the issue', () => {
    expect(findSampler('tpe')).toBe(tpeSampler);
    expect(settings()).toEqual({
      nStartupTrials: 10,
      nEiCandidates: 24,
      priorWeight: 1,
      multivariate: true,
      group: true,
      bandwidth: 'neighbour',
      constantLiar: true,
      magicClip: true,
    });
    const bad = tpeSampler.validateSettings({ nEiCandidates: 0, bandwidth: 'wide', priorWeight: 0 }, SPHERE).problems.map((p) => p.path);
    expect(bad).toEqual(expect.arrayContaining(['search.settings.nEiCandidates', 'search.settings.bandwidth', 'search.settings.priorWeight']));
  });

  it('splits with Optuna’s gamma(n) = min(ceil(n/10), 25) and age-ramped weights', () => {
    expect([1, 10, 11, 99, 250, 251, 1000].map(defaultGamma)).toEqual([1, 1, 2, 10, 25, 25, 25]);
    expect(Array.from(defaultWeights(3))).toEqual([1, 1, 1]);
    const w = defaultWeights(30);
    expect(w[0]).toBeCloseTo(1 / 30, 12);
    expect(w[4]).toBe(1);
    expect(Array.from(w.subarray(5))).toEqual(new Array(25).fill(1));
    // Ranks: complete trials by value, then pruned by how far they got, failed left out, pending last.
    const history = [
      trial(1, { x: 1 }, 5),
      trial(2, { x: 2 }, null, 'FAILED'),
      { ...trial(3, { x: 3 }, 9, 'PRUNED'), intermediate: [{ step: 4, value: 0.1 }] },
      trial(4, { x: 4 }, 2),
      { ...trial(5, { x: 5 }, null, 'PRUNED'), intermediate: [{ step: 8, value: 7 }] },
    ];
    const ranked = rankedTrials(history, [{ x: 6 }], 'minimize', true);
    expect(ranked.map((t) => t.params.x)).toEqual([1, 3, 4, 5, 6]);
    expect(finishedCount(ranked)).toBe(4);
    const { below, above } = splitTrials(ranked, 2);
    expect(below.map((i) => ranked[i].params.x)).toEqual([1, 4]);
    // Chronological order in each group; the pruned trial that got further ranks first among pruned.
    expect(above.map((i) => ranked[i].params.x)).toEqual([3, 5, 6]);
    expect(splitTrials(ranked, 3).below.map((i) => ranked[i].params.x)).toEqual([1, 4, 5]);
    // Maximising negates the values.
    const max = rankedTrials(history, [], 'maximize', false);
    expect(splitTrials(max, 1).below.map((i) => max[i].params.x)).toEqual([1]);
  });

  it('MOTPE: whole fronts first, the boundary front by hypervolume subset selection, the good group weighed by contribution', () => {
    const multi = (n: number, values: number[], violation = 0): HistoryTrial => ({ ...trial(n, { x: n }, values[0]), values, violation });
    // Front 1: t1 alone (it dominates every other point). Front 2: t2..t5. Front 3: t6 (dominated by t3).
    const history = [multi(1, [1, 1]), multi(2, [4.9, 5.1]), multi(3, [5, 5]), multi(4, [1.5, 9]), multi(5, [9, 1.5]), multi(6, [6, 6])];
    const ranked = rankedTrials(history, [{ x: 7 }], 'minimize', true, ['minimize', 'minimize']);
    expect(finishedCount(ranked)).toBe(6);
    // Two places left after t1; against front 2's reference (9.9, 9.9), t3 has the largest box (4.9²), then
    // t4 and t5 tie at 3.15 over it (t2, its near twin, gains 0.48): the lower index, t4.
    const split = splitTrials(ranked, 3);
    expect(split.below.map((i) => ranked[i].params.x)).toEqual([1, 3, 4]);
    expect(split.above.map((i) => ranked[i].params.x)).toEqual([2, 5, 6, 7]);
    // t1 dominates the other two members of the good group: they weigh next to nothing.
    expect(Array.from(split.belowWeights!)).toEqual([1, 1e-12, 1e-12]);
    // A whole front that fits is taken without selection.
    expect(splitTrials(ranked, 5).below.map((i) => ranked[i].params.x)).toEqual([1, 2, 3, 4, 5]);
    // Maximised objectives are negated first: the same split.
    const negated = history.map((t) => ({ ...t, values: (t.values as number[]).map((v) => -v) }));
    const max = rankedTrials(negated, [], 'maximize', false, ['maximize', 'maximize']);
    expect(splitTrials(max, 3).below.map((i) => max[i].params.x)).toEqual([1, 3, 4]);
    // Infeasible t1 falls behind every feasible trial; of front 2, t3, t4, then t5 (3.15 over both, t2 only 0.39).
    const constrained = rankedTrials([{ ...history[0], violation: 0.5 }, ...history.slice(1)], [], 'minimize', false, ['minimize', 'minimize']);
    const c = splitTrials(constrained, 3);
    expect(c.below.map((i) => constrained[i].params.x)).toEqual([3, 4, 5]);
    // All three are on the good group's front: (5, 5) holds the most volume alone against (9.9, 9.9).
    expect(c.belowWeights![0]).toBe(1);
    expect(c.belowWeights![1]).toBeCloseTo(c.belowWeights![2], 12);
    expect(c.belowWeights![1]).toBeLessThan(1);
    // One objective under a constraint: feasible trials by value, then the smallest violation; age-ramped weights, as Optuna.
    const single = [multi(1, [3], 0), multi(2, [1], 0.2), multi(3, [2], 0), multi(4, [0], 0.1), multi(5, [4], 0)];
    const one = rankedTrials(single, [], 'minimize', false, ['minimize']);
    const s = splitTrials(one, 4);
    expect(s.below.map((i) => one[i].params.x)).toEqual([1, 3, 4, 5]);
    expect(s.belowWeights).toBeUndefined();
  });

  it('samples uniformly for the first nStartupTrials finished trials, then uses the model', () => {
    const history = optimise(SPHERE, sphere, 10, 4);
    const s = settings();
    const uniform = tpeSampler.suggest({
      space: SPHERE,
      direction: 'minimize',
      history: history.slice(0, 9),
      pending: [],
      count: 1,
      rng: createRng(1, 10),
      settings: s,
      maxTrials: 30,
    });
    const random = findSampler('random')!.suggest({
      space: SPHERE,
      direction: 'minimize',
      history: [],
      pending: [],
      count: 1,
      rng: createRng(1, 10),
      settings: {},
      maxTrials: 30,
    });
    expect(uniform).toEqual(random);
    const model = tpeSampler.suggest({
      space: SPHERE,
      direction: 'minimize',
      history,
      pending: [],
      count: 1,
      rng: createRng(1, 11),
      settings: s,
      maxTrials: 30,
    });
    expect(model).not.toEqual(random);
  });

  it('concentrates its suggestions near the optimum of a simple function', () => {
    const history = optimise(SPHERE, sphere, 80, 7);
    const late = history.slice(60).map((t) => t.value as number);
    const early = history.slice(0, 10).map((t) => t.value as number);
    const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
    expect(median(late)).toBeLessThan(median(early) / 5);
    expect(Math.min(...history.map((t) => t.value as number))).toBeLessThan(0.05);
  });

  it('is a pure function of its input: same seed and history, same suggestions', () => {
    const a = optimise(SPHERE, sphere, 25, 11);
    const b = optimise(SPHERE, sphere, 25, 11);
    expect(a).toEqual(b);
    const c = optimise(SPHERE, sphere, 25, 12);
    expect(c.slice(10)).not.toEqual(a.slice(10));
  });

  it('spreads parallel suggestions with the constant liar', () => {
    const history = optimise(SPHERE, sphere, 30, 3);
    const ask = (constantLiar: boolean): Params[] =>
      tpeSampler.suggest({
        space: SPHERE,
        direction: 'minimize',
        history,
        pending: [],
        count: 8,
        rng: createRng(5, 31),
        settings: settings({ constantLiar }),
        maxTrials: 60,
      });
    const spread = (ps: Params[]): number => {
      let sum = 0;
      for (const p of ps) for (const q of ps) sum += Math.hypot((p.x as number) - (q.x as number), (p.y as number) - (q.y as number));
      return sum / (ps.length * (ps.length - 1));
    };
    expect(spread(ask(true))).toBeGreaterThan(spread(ask(false)));
    // A pending trial at a point makes the next suggestion avoid it too.
    const best = history.reduce((a, b) => ((a.value as number) < (b.value as number) ? a : b)).params;
    const pending = Array.from({ length: 6 }, () => best);
    const [withLies] = tpeSampler.suggest({
      space: SPHERE,
      direction: 'minimize',
      history,
      pending,
      count: 1,
      rng: createRng(5, 31),
      settings: settings(),
      maxTrials: 60,
    });
    const [without] = tpeSampler.suggest({
      space: SPHERE,
      direction: 'minimize',
      history,
      pending,
      count: 1,
      rng: createRng(5, 31),
      settings: settings({ constantLiar: false }),
      maxTrials: 60,
    });
    const dist = (p: Params): number => Math.hypot((p.x as number) - (best.x as number), (p.y as number) - (best.y as number));
    expect(dist(withLies)).toBeGreaterThanOrEqual(dist(without));
  });

  it('groups conditional parameters that are active together, and models each branch on its own trials', () => {
    const active = [Uint8Array.of(1, 1, 0, 1), Uint8Array.of(1, 0, 1, 1), Uint8Array.of(1, 1, 0, 1)];
    expect(groupDecomposition(active, 4)).toEqual([[0, 3], [1], [2]]);
    expect(modelGroups(active, 4, settings())).toEqual([
      { indices: [0, 3], joint: true },
      { indices: [1], joint: true },
      { indices: [2], joint: true },
    ]);
    expect(modelGroups(active, 4, settings({ group: false }))).toEqual([
      { indices: [0, 3], joint: true },
      { indices: [1], joint: false },
      { indices: [2], joint: false },
    ]);
    expect(modelGroups(active, 4, settings({ multivariate: false })).every((g) => !g.joint && g.indices.length === 1)).toBe(true);

    const space: SearchSpace = {
      opt: { type: 'categorical', values: ['sgd', 'adam'] },
      momentum: { type: 'float', low: 0, high: 1, when: { opt: 'sgd' } },
      beta: { type: 'float', low: 0, high: 1, when: { opt: 'adam' } },
      units: { type: 'int', low: 8, high: 64, step: 8 },
    };
    // Best: adam with beta near 0.9 and 32 units; sgd is worse whatever its momentum.
    const f = (p: Params): number =>
      (p.opt === 'adam' ? ((p.beta as number) - 0.9) ** 2 : 0.5 + ((p.momentum as number) - 0.2) ** 2) + (((p.units as number) - 32) / 64) ** 2;
    const history = optimise(space, f, 60, 2);
    for (const t of history) expect(membershipProblems(space, t.params)).toEqual([]);
    const late = history.slice(40);
    expect(late.filter((t) => t.params.opt === 'adam').length).toBeGreaterThan(late.length / 2);
    expect(Math.min(...history.map((t) => t.value as number))).toBeLessThan(0.02);
  });

  it('handles ints, steps and log scales through the unit cube, and does not repeat points of a small discrete space while others are left', () => {
    const space: SearchSpace = {
      n: { type: 'int', low: 1, high: 4 },
      c: { type: 'categorical', values: ['a', 'b', 'c'] },
    };
    // From the first trial on the model (the prior alone at first): 8 of the 12 points, none twice.
    const history = optimise(space, (p) => (p.n as number) + (p.c === 'b' ? 0 : 1), 8, 9, { nStartupTrials: 0 });
    const keys = history.map((t) => `${t.params.n}${t.params.c}`);
    expect(new Set(keys).size).toBe(8);
    const logSpace: SearchSpace = { lr: { type: 'float', low: 1e-5, high: 1, log: true }, k: { type: 'int', low: 1, high: 1000, log: true } };
    const h = optimise(logSpace, (p) => (Math.log10(p.lr as number) + 3) ** 2 + (Math.log10(p.k as number) - 2) ** 2, 60, 5);
    for (const t of h) expect(membershipProblems(logSpace, t.params)).toEqual([]);
    expect(Math.min(...h.map((t) => t.value as number))).toBeLessThan(0.1);
  });

  it('learns from pruned trials and ignores failed ones and stale categories', () => {
    const space: SearchSpace = { c: { type: 'categorical', values: ['a', 'b'] }, x: { type: 'float', low: 0, high: 1 } };
    const history: HistoryTrial[] = Array.from({ length: 12 }, (_, i) => trial(i + 1, { c: i % 2 ? 'a' : 'b', x: i / 12 }, i));
    history.push(trial(13, { c: 'gone', x: 0.5 }, -100));
    history.push(trial(14, { c: 'a', x: 0.1 }, null, 'FAILED'));
    history.push({ ...trial(15, { c: 'b', x: 0.2 }, null, 'PRUNED'), intermediate: [{ step: 2, value: 3 }] });
    const out = tpeSampler.suggest({
      space,
      direction: 'minimize',
      history,
      pending: [],
      count: 3,
      rng: createRng(1, 16),
      settings: settings({}, space),
      maxTrials: 30,
    });
    expect(out).toHaveLength(3);
    for (const p of out) expect(membershipProblems(space, p)).toEqual([]);
  });
});
