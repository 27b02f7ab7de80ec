import { createRng } from '../../../../src/search/rng';
import { crossover, Gene, mutate, mutateGene, reflect01, sbx } from '../../../../src/search/samplers/evolution/operators';
import { genesOf } from '../../../../src/search/samplers/evolution/evolution.sampler';
import { SearchSpace } from '../../../../src/search/space/space.types';
import { decodeParams, decodeValue, encodeValue } from '../../../../src/search/space/unit-cube';

const space: SearchSpace = {
  x: { type: 'float', low: -5, high: 5 },
  n: { type: 'int', low: 0, high: 20 },
  lr: { type: 'float', low: 1e-4, high: 1, log: true },
  k: { type: 'int', low: 1, high: 64, log: true },
  s: { type: 'float', low: 0, high: 1, step: 0.25 },
  c: { type: 'categorical', values: ['a', 'b', 'c', 'd'] },
};
const genes: Gene[] = genesOf(space);
const DRAWS = 4000;

describe('evolution operators', () => {
  it('reflects into [0, 1]', () => {
    expect(reflect01(1.2)).toBeCloseTo(0.8);
    expect(reflect01(-0.3)).toBeCloseTo(0.3);
    expect(reflect01(2.5)).toBeCloseTo(0.5);
  });

  it('SBX stays in [0, 1], is centred on the parents, and returns identical parents unchanged', () => {
    const rng = createRng(1);
    let sum = 0;
    let outside = 0;
    for (let i = 0; i < DRAWS; i++) {
      const c = sbx(0.3, 0.6, 10, rng);
      if (c < 0 || c > 1) outside++;
      sum += c;
    }
    expect(outside).toBe(0);
    expect(sum / DRAWS).toBeCloseTo(0.45, 1);
    expect(sbx(0.7, 0.7, 10, rng)).toBe(0.7);
    for (let i = 0; i < 200; i++) expect(sbx(0.999, 0.001, 0.5, rng)).toBeLessThanOrEqual(1);
  });

  it('SBX with a larger eta keeps children closer to the parents', () => {
    const spread = (eta: number): number => {
      const rng = createRng(2);
      let s = 0;
      for (let i = 0; i < DRAWS; i++) s += Math.min(Math.abs(sbx(0.4, 0.6, eta, rng) - 0.4), Math.abs(sbx(0.4, 0.6, eta, rng) - 0.6));
      return s / DRAWS;
    };
    expect(spread(30)).toBeLessThan(spread(2));
  });

  it('crossover inherits discrete and categorical genes whole, from either parent about half the time', () => {
    const rng = createRng(3);
    const a = Float64Array.from(genes, (_g, i) => 0.1 + 0.01 * i);
    const b = Float64Array.from(genes, (_g, i) => 0.9 - 0.01 * i);
    const fromA = new Array(genes.length).fill(0);
    let blended = 0;
    const wrong: string[] = [];
    for (let t = 0; t < DRAWS; t++) {
      const child = crossover(genes, a, b, 10, rng);
      genes.forEach((gene, i) => {
        if (child[i] < 0 || child[i] > 1) wrong.push(`${gene.spec.type} out of bounds`);
        if (child[i] === a[i]) fromA[i]++;
        else if (child[i] !== b[i]) {
          if (gene.kind !== 'continuous') wrong.push(`${gene.kind} gene blended`);
          blended++;
        }
      });
    }
    expect(wrong).toEqual([]);
    genes.forEach((gene, i) => {
      // Continuous genes: blended half the time, then inherited from A half of the rest.
      const expected = gene.kind === 'continuous' ? 0.25 : 0.5;
      expect(fromA[i] / DRAWS).toBeCloseTo(expected, 1);
    });
    const continuous = genes.filter((g) => g.kind === 'continuous').length;
    expect(blended / (DRAWS * continuous)).toBeCloseTo(0.5, 1);
  });

  it('crossover takes an inactive (NaN) gene from the other parent, or draws it when inactive in both', () => {
    const rng = createRng(4);
    const nan = Number.NaN;
    const child = crossover(genes.slice(0, 3), [nan, 0.2, nan], [0.7, nan, nan], 10, rng);
    expect(child[0]).toBe(0.7);
    expect(child[1]).toBe(0.2);
    expect(child[2]).toBeGreaterThanOrEqual(0);
    expect(child[2]).toBeLessThan(1);
  });

  it('mutation follows the rate, keeps bounds, and changes a mutated gene in a type-respecting way', () => {
    const rng = createRng(5);
    const base = Float64Array.from(genes, (g) => encodeValue(g.spec, decodeValue(g.spec, 0.5)));
    for (const rate of [1 / genes.length, 0.5]) {
      let changed = 0;
      let outside = 0;
      for (let t = 0; t < DRAWS; t++) {
        const child = mutate(genes, base, rate, 0.1, rng);
        genes.forEach((_gene, i) => {
          if (child[i] < 0 || child[i] > 1) outside++;
          if (child[i] !== base[i]) changed++;
        });
      }
      expect(outside).toBe(0);
      expect(changed / (DRAWS * genes.length)).toBeCloseTo(rate, 1);
    }
  });

  it('mutates an integer by whole steps, a step float onto its lattice, and a categorical to another category', () => {
    const rng = createRng(6);
    const [, n, , k, s, c] = genes;
    for (let t = 0; t < 500; t++) {
      const u = rng.next();
      for (const gene of [n, k, s]) {
        const before = Number(decodeValue(gene.spec, u));
        const after = Number(decodeValue(gene.spec, mutateGene(gene, u, 0.1, rng)));
        expect(after).not.toBe(before);
        const step = (gene.spec as { step?: number }).step ?? 1;
        expect(Math.abs(Math.round((after - before) / step) * step - (after - before))).toBeLessThan(1e-9);
      }
      expect(decodeValue(c.spec, mutateGene(c, u, 0.1, rng))).not.toBe(decodeValue(c.spec, u));
    }
  });

  it('integer jumps grow with mutationScale', () => {
    const n = genes[1];
    const meanJump = (scale: number): number => {
      const rng = createRng(7);
      let total = 0;
      for (let t = 0; t < DRAWS; t++) total += Math.abs(Number(decodeValue(n.spec, mutateGene(n, 0.5, scale, rng))) - 10);
      return total / DRAWS;
    };
    expect(meanJump(0.02)).toBeCloseTo(1, 0);
    expect(meanJump(0.3)).toBeGreaterThan(3);
  });

  it('decodes mutated children into valid parameters', () => {
    const rng = createRng(8);
    for (let t = 0; t < 200; t++) {
      const params = decodeParams(
        space,
        mutate(
          genes,
          Float64Array.from(genes, () => rng.next()),
          1,
          0.5,
          rng,
        ),
      );
      expect(Number.isInteger(params.n)).toBe(true);
      expect(['a', 'b', 'c', 'd']).toContain(params.c);
      expect([0, 0.25, 0.5, 0.75, 1]).toContain(params.s);
    }
  });
});
