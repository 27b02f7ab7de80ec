import { createRng } from '../../../src/search/rng';
import { decodeParams, decodeValue, dimensions, encodeParams, encodeValue, levelCount } from '../../../src/search/space/unit-cube';
import { dropInactive, decisionOrder } from '../../../src/search/space/conditions';
import { cardinality, membershipProblems } from '../../../src/search/space/membership';
import { SearchSpace } from '../../../src/search/space/space.types';

const space: SearchSpace = {
  lr: { type: 'float', low: 1e-4, high: 1e-1, log: true },
  units: { type: 'int', low: 16, high: 64, step: 16 },
  drop: { type: 'float', low: 0, high: 0.5, step: 0.1 },
  opt: { type: 'categorical', values: ['adam', 'sgd'] },
  momentum: { type: 'float', low: 0, high: 0.9, when: { opt: 'sgd' } },
};

describe('unit-cube encoding', () => {
  it('maps log floats through log space: the geometric mean sits at the centre', () => {
    expect(encodeValue(space.lr, Math.sqrt(1e-4 * 1e-1))).toBeCloseTo(0.5, 12);
    expect(decodeValue(space.lr, 0)).toBeCloseTo(1e-4, 12);
    expect(decodeValue(space.lr, 1)).toBeCloseTo(1e-1, 12);
  });

  it('gives each discrete value an equal share of [0, 1] and snaps to the step', () => {
    expect([0, 0.24, 0.26, 0.49, 0.51, 0.99, 1].map((u) => decodeValue(space.units, u))).toEqual([16, 16, 32, 32, 48, 64, 64]);
    expect(levelCount(space.drop)).toBe(6);
    expect([0, 0.5, 1].map((u) => decodeValue(space.drop, u))).toEqual([0, 0.3, 0.5]);
    expect(decodeValue(space.opt, 0.49)).toBe('adam');
    expect(decodeValue(space.opt, 0.5)).toBe('sgd');
  });

  it('round-trips every discrete value, and clips coordinates outside [0, 1] or NaN', () => {
    for (const v of [16, 32, 48, 64]) expect(decodeValue(space.units, encodeValue(space.units, v))).toBe(v);
    for (const v of ['adam', 'sgd']) expect(decodeValue(space.opt, encodeValue(space.opt, v))).toBe(v);
    expect(decodeValue(space.units, -3)).toBe(16);
    expect(decodeValue(space.units, 7)).toBe(64);
    expect(decodeValue(space.drop, Number.NaN)).toBe(0.3);
  });

  it('drops inactive parameters on decode and encodes them as NaN (or a given neutral value)', () => {
    const adam = decodeParams(space, [0.5, 0.5, 0.5, 0.1, 0.7]);
    expect(adam).not.toHaveProperty('momentum');
    const sgd = decodeParams(space, [0.5, 0.5, 0.5, 0.9, 0.5]);
    expect(sgd.momentum).toBeCloseTo(0.45, 12);
    expect(Array.from(encodeParams(space, adam)).slice(4)).toEqual([Number.NaN]);
    expect(Array.from(encodeParams(space, adam, 0.5)).slice(4)).toEqual([0.5]);
  });

  it('describes its dimensions for samplers', () => {
    expect(dimensions(space).map((d) => [d.name, d.kind, d.levels, d.conditional])).toEqual([
      ['lr', 'continuous', Infinity, false],
      ['units', 'discrete', 4, false],
      ['drop', 'discrete', 6, false],
      ['opt', 'categorical', 2, false],
      ['momentum', 'continuous', Infinity, true],
    ]);
  });

  it('decodes random points into valid members of the space', () => {
    const rng = createRng(1);
    for (let i = 0; i < 500; i++) {
      const params = decodeParams(
        space,
        Array.from({ length: 5 }, () => rng.uniform(-0.2, 1.2)),
      );
      expect(membershipProblems(space, params)).toEqual([]);
    }
  });
});

describe('conditions and membership', () => {
  it('orders parents before children and drops parameters whose condition fails', () => {
    const s: SearchSpace = { child: { type: 'int', low: 0, high: 1, when: { parent: ['b'] } }, parent: { type: 'categorical', values: ['a', 'b'] } };
    expect(decisionOrder(s)).toEqual(['parent', 'child']);
    expect(dropInactive(s, { parent: 'a', child: 1 })).toEqual({ parent: 'a' });
    expect(() => decisionOrder({ a: { type: 'int', low: 0, high: 1, when: { b: 1 } }, b: { type: 'int', low: 0, high: 1, when: { a: 1 } } })).toThrow(/cycle/);
  });

  it('orders 20k chained parameters in one pass when parents come first, in n log n when they come last, and computes a space once', () => {
    const n = 20_000;
    const forward: SearchSpace = {};
    for (let i = 0; i < n; i++) forward[`p${i}`] = i === 0 ? { type: 'int', low: 0, high: 1 } : { type: 'int', low: 0, high: 1, when: { [`p${i - 1}`]: 1 } };
    const backward: SearchSpace = {};
    for (let i = n - 1; i >= 0; i--) backward[`p${i}`] = forward[`p${i}`];
    let t = performance.now();
    const inOrder = decisionOrder(forward);
    const forwardMs = performance.now() - t;
    t = performance.now();
    const reversed = decisionOrder(backward);
    const backwardMs = performance.now() - t;
    expect(inOrder).toEqual(Object.keys(forward));
    expect(reversed).toEqual(Object.keys(forward));
    // Quadratic ordering took about 40 s for 50k parameters (some 6 s for these 20k); linear takes milliseconds.
    expect(forwardMs + backwardMs).toBeLessThan(1_000);
    t = performance.now();
    expect(decisionOrder(backward)).toBe(decisionOrder(backward));
    expect(performance.now() - t).toBeLessThan(5);
  });

  it('names what is wrong with a point', () => {
    expect(membershipProblems(space, { lr: 2, units: 20, drop: 0.25, opt: 'rmsprop', momentum: 0.1 })).toEqual([
      'lr: 2 outside [0.0001, 0.1]',
      'units: 20 is not on the step lattice',
      'drop: 0.25 is not on the step lattice',
      'opt: "rmsprop" is not a category',
      'momentum: present although its condition does not hold',
    ]);
    expect(cardinality({ a: { type: 'int', low: 1, high: 3 }, b: { type: 'categorical', values: [1, 2] } })).toBe(6);
  });
});

describe('seeded generator', () => {
  it('replays the same stream for the same seed and stream number, and differs otherwise', () => {
    const draw = (seed: number, stream: number) => Array.from({ length: 5 }, createRng(seed, stream).next);
    expect(draw(7, 3)).toEqual(draw(7, 3));
    expect(draw(7, 3)).not.toEqual(draw(7, 4));
    expect(draw(7, 3)).not.toEqual(draw(8, 3));
    const rng = createRng(1);
    const mean = Array.from({ length: 20_000 }, rng.next).reduce((a, b) => a + b) / 20_000;
    expect(mean).toBeCloseTo(0.5, 1);
  });
});
