import { Params, SearchSpace } from '../../../src/search/space/space.types';

/** A multi-objective test problem: every objective minimised over a box, with the reference point its hypervolume is measured against. */
export interface MultiFunction {
  name: string;
  space: SearchSpace;
  objectives: number;
  reference: number[];
  evaluate(params: Params): number[];
}

function box(d: number): SearchSpace {
  return Object.fromEntries(Array.from({ length: d }, (_, i) => [`x${i}`, { type: 'float' as const, low: 0, high: 1 }]));
}

const vec = (p: Params, d: number): number[] => Array.from({ length: d }, (_, i) => p[`x${i}`] as number);

function zdtG(x: readonly number[]): number {
  let s = 0;
  for (let i = 1; i < x.length; i++) s += x[i];
  return 1 + (9 * s) / (x.length - 1);
}

/** A ZDT problem on 30 variables: f1 = x0, f2 = g·h(x0 / g), with the front at g = 1. */
function zdt(name: string, h: (ratio: number) => number): MultiFunction {
  return {
    name,
    space: box(30),
    objectives: 2,
    reference: [11, 11],
    evaluate(p) {
      const x = vec(p, 30);
      const g = zdtG(x);
      return [x[0], g * h(x[0] / g)];
    },
  };
}

/** ZDT1 (Zitzler, Deb and Thiele 2000): a convex front f2 = 1 − √f1. */
export const ZDT1 = zdt('zdt1', (r) => 1 - Math.sqrt(r));

/** ZDT2: a concave front f2 = 1 − f1². */
export const ZDT2 = zdt('zdt2', (r) => 1 - r * r);

/** DTLZ2 (Deb, Thiele, Laumanns and Zitzler 2002) with 3 objectives and k = 10 (12 variables): the front is the positive unit sphere octant. */
export const DTLZ2: MultiFunction = {
  name: 'dtlz2',
  space: box(12),
  objectives: 3,
  reference: [1.1, 1.1, 1.1],
  evaluate(p) {
    const x = vec(p, 12);
    let g = 0;
    for (let i = 2; i < 12; i++) g += (x[i] - 0.5) ** 2;
    const a = (x[0] * Math.PI) / 2;
    const b = (x[1] * Math.PI) / 2;
    return [(1 + g) * Math.cos(a) * Math.cos(b), (1 + g) * Math.cos(a) * Math.sin(b), (1 + g) * Math.sin(a)];
  },
};

/** The problems of `bench/search --multi`. */
export const MULTI_FUNCTIONS: readonly MultiFunction[] = [ZDT1, ZDT2, DTLZ2];
