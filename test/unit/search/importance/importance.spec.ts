import { parameterImportance } from '../../../../src/search/importance/importance';
import { gaussianOnGrid } from '../../../../src/search/importance/ped-anova.importance';
import { ImportanceMethod, ScoredTrial } from '../../../../src/search/importance/importance.types';
import { createRng } from '../../../../src/search/rng';
import { Params, SearchSpace } from '../../../../src/search/space/space.types';
import { decodeParams } from '../../../../src/search/space/unit-cube';

/** Random trials of `space` scored by `f`, with a little noise. */
function trialsOf(space: SearchSpace, n: number, f: (p: Params) => number, seed = 3): ScoredTrial[] {
  const rng = createRng(seed);
  const d = Object.keys(space).length;
  return Array.from({ length: n }, () => {
    const params = decodeParams(
      space,
      Array.from({ length: d }, () => rng.next()),
    );
    return { params, value: f(params) + 0.01 * rng.normal() };
  });
}

const ranking = (method: ImportanceMethod, space: SearchSpace, trials: ScoredTrial[], direction: 'minimize' | 'maximize' = 'minimize') =>
  parameterImportance({ space, trials, direction }, method).params.map((p) => p.name);

describe.each<ImportanceMethod>(['ped-anova', 'fanova'])('parameter importance (%s)', (method) => {
  const space: SearchSpace = {
    noise: { type: 'float', low: 0, high: 1 },
    weak: { type: 'float', low: 1e-4, high: 1, log: true },
    strong: { type: 'int', low: 0, high: 100 },
    kind: { type: 'categorical', values: ['a', 'b', 'c', 'd'] },
  };
  // strong (a quadratic bowl) >> kind (one category costs 2) > weak (a gentle slope in log scale) > noise (none).
  const f = (p: Params) => 20 * ((Number(p.strong) - 70) / 100) ** 2 * 10 + (p.kind === 'c' ? 0 : 2) + 0.3 * Math.log10(Number(p.weak));

  it('recovers the known ranking of the parameters, and the shares sum to 1', () => {
    const trials = trialsOf(space, 1500, f);
    const result = parameterImportance({ space, trials, direction: 'minimize' }, method);
    expect(result.params.map((p) => p.name)).toEqual(['strong', 'kind', 'weak', 'noise']);
    expect(result.params.reduce((s, p) => s + p.importance, 0)).toBeCloseTo(1, 9);
    expect(result.trials).toBe(1500);
    expect(result.method).toBe(method);
  });

  it('reads the direction: maximising the negated objective gives the same ranking', () => {
    const trials = trialsOf(space, 1500, (p) => -f(p));
    expect(ranking(method, space, trials, 'maximize')).toEqual(['strong', 'kind', 'weak', 'noise']);
  });

  it('puts a parameter that does nothing last, whatever its type', () => {
    const flat: SearchSpace = { x: { type: 'float', low: -5, high: 5 }, c: { type: 'categorical', values: [1, 2, 3] } };
    const trials = trialsOf(flat, 800, (p) => Number(p.x) ** 2);
    const result = parameterImportance({ space: flat, trials, direction: 'minimize' }, method);
    expect(result.params[0].name).toBe('x');
    expect(result.params[1].importance).toBeLessThan(0.1);
  });

  it("ranks a conditional parameter by its effect where it is active, not by its parent's", () => {
    const conditional: SearchSpace = {
      optimizer: { type: 'categorical', values: ['adam', 'sgd'] },
      momentum: { type: 'float', low: 0, high: 1, when: { optimizer: 'sgd' } },
      lr: { type: 'float', low: 0, high: 1 },
      unused: { type: 'float', low: 0, high: 1, when: { optimizer: 'adam' } },
    };
    // sgd with momentum near 0.9 is best; adam sits in the middle; lr matters less; unused (adam only) not at all.
    const g = (p: Params) => (p.optimizer === 'sgd' ? 30 * (Number(p.momentum) - 0.9) ** 2 : 3) + Number(p.lr);
    const trials = trialsOf(conditional, 2000, g);
    const result = parameterImportance({ space: conditional, trials, direction: 'minimize' }, method);
    const names = result.params.map((p) => p.name);
    expect(names.slice(0, 2).sort()).toEqual(['momentum', 'optimizer']);
    expect(names.slice(2)).toEqual(['lr', 'unused']);
    const momentum = result.params.find((p) => p.name === 'momentum')!;
    expect(momentum.activeTrials).toBeGreaterThan(800);
    expect(momentum.activeTrials).toBeLessThan(1200);
  });

  it('answers all zeros, not NaN, when there is nothing to learn from', () => {
    const result = parameterImportance({ space, trials: trialsOf(space, 1, f), direction: 'minimize' }, method);
    expect(result.params.every((p) => p.importance === 0)).toBe(true);
  });
});

describe('fANOVA', () => {
  it('gives the same importances for the same trials and seed', () => {
    const space: SearchSpace = { a: { type: 'float', low: 0, high: 1 }, b: { type: 'float', low: 0, high: 1 } };
    const trials = trialsOf(space, 300, (p) => Number(p.a) + 0.5 * Number(p.b));
    const once = parameterImportance({ space, trials, direction: 'minimize' }, 'fanova', 5);
    expect(parameterImportance({ space, trials, direction: 'minimize' }, 'fanova', 5)).toEqual(once);
    // a explains about four times the variance of b (1 against 0.25 for uniform inputs).
    expect(once.params[0].importance / once.params[1].importance).toBeGreaterThan(2.5);
  });
});

describe("PED-ANOVA's kernel on the grid", () => {
  it('equals the direct formula at every cell, for points anywhere in the cube and bandwidths from tight to wide', () => {
    const rng = createRng(11);
    let worst = 0;
    for (let k = 0; k < 500; k++) {
      const cells = 1 + rng.int(100);
      const u = k < 4 ? [0, 1, 0.5, 1 - 1e-12][k] : rng.next();
      const h = Math.max(0.5 / cells, 2 * rng.next() ** 3);
      const out = new Float64Array(cells);
      gaussianOnGrid(out, u, h);
      for (let g = 0; g < cells; g++) {
        const direct = Math.exp(-0.5 * (((g + 0.5) / cells - u) / h) ** 2);
        // Relative error where the value is representable; values below 1e-300 need only be about as small.
        worst = Math.max(worst, direct > 1e-300 ? Math.abs(out[g] - direct) / direct : out[g] > 1e-290 ? 1 : 0);
      }
    }
    expect(worst).toBeLessThan(1e-12);
  });
});
