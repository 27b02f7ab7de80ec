import fc from 'fast-check';
import { ParamSpec, SearchSpace } from '../../src/search/space/space.types';

const floatParam: fc.Arbitrary<ParamSpec> = fc
  .record({
    low: fc.double({ min: -100, max: 100, noNaN: true }),
    width: fc.double({ min: 1e-3, max: 1000, noNaN: true }),
    log: fc.boolean(),
    stepped: fc.boolean(),
    gridPoints: fc.integer({ min: 1, max: 5 }),
  })
  .map(({ low, width, log, stepped, gridPoints }) => {
    const lo = log ? Math.abs(low) + 1e-3 : low;
    if (stepped && !log) return { type: 'float', low: lo, high: lo + width, step: width / 4 } as ParamSpec;
    return { type: 'float', low: lo, high: lo + width, log, gridPoints } as ParamSpec;
  });

const intParam: fc.Arbitrary<ParamSpec> = fc
  .record({ low: fc.integer({ min: -50, max: 50 }), width: fc.integer({ min: 0, max: 60 }), log: fc.boolean(), step: fc.integer({ min: 1, max: 4 }) })
  .map(({ low, width, log, step }) =>
    log
      ? ({ type: 'int', low: Math.abs(low) + 1, high: Math.abs(low) + 1 + width, log: true } as ParamSpec)
      : ({ type: 'int', low, high: low + width, step } as ParamSpec),
  );

const categoricalParam: fc.Arbitrary<ParamSpec> = fc
  .uniqueArray(fc.oneof(fc.constantFrom('a', 'b', 'c', 'd', 'relu', 'tanh'), fc.integer({ min: 0, max: 9 })), { minLength: 1, maxLength: 5 })
  .map((values) => ({ type: 'categorical', values }) as ParamSpec);

/**
 * Random search spaces of 1–5 parameters of every type, where the last parameter may be
 * conditional on the first categorical one (so conditions are exercised by every sampler).
 */
export function arbitrarySpace(): fc.Arbitrary<SearchSpace> {
  return fc
    .record({ params: fc.array(fc.oneof(floatParam, intParam, categoricalParam), { minLength: 1, maxLength: 5 }), conditional: fc.boolean() })
    .map(({ params, conditional }) => {
      const space: SearchSpace = {};
      params.forEach((spec, i) => (space[`p${i}`] = { ...spec }));
      const parentIndex = params.findIndex((p) => p.type === 'categorical');
      const last = params.length - 1;
      if (conditional && parentIndex >= 0 && parentIndex < last) {
        const parent = params[parentIndex] as Extract<ParamSpec, { type: 'categorical' }>;
        space[`p${last}`] = { ...space[`p${last}`], when: { [`p${parentIndex}`]: parent.values[0] } };
      }
      return space;
    });
}
