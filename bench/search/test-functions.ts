import { Params, SearchSpace } from '../../src/search/space/space.types';

/** A benchmark objective to minimise, with its search space and known optimum. */
export interface TestFunction {
  name: string;
  space: SearchSpace;
  optimum: number;
  evaluate(params: Params): number;
}

function box(names: string[], low: number, high: number): SearchSpace {
  return Object.fromEntries(names.map((n) => [n, { type: 'float', low, high }]));
}

function vector(params: Params, d: number): number[] {
  return Array.from({ length: d }, (_, i) => params[`x${i}`] as number);
}

const names = (d: number): string[] => Array.from({ length: d }, (_, i) => `x${i}`);

const branin: TestFunction = {
  name: 'branin',
  space: { x0: { type: 'float', low: -5, high: 10 }, x1: { type: 'float', low: 0, high: 15 } },
  optimum: 0.397887357729738,
  evaluate(p) {
    const x = p.x0 as number,
      y = p.x1 as number;
    const b = 5.1 / (4 * Math.PI * Math.PI),
      c = 5 / Math.PI,
      t = 1 / (8 * Math.PI);
    return (y - b * x * x + c * x - 6) ** 2 + 10 * (1 - t) * Math.cos(x) + 10;
  },
};

const H6_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const H6_P = [
  [1312, 1696, 5569, 124, 8283, 5886],
  [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650],
  [4047, 8828, 8732, 5743, 1091, 381],
].map((row) => row.map((v) => v * 1e-4));
const H6_ALPHA = [1, 1.2, 3, 3.2];

const hartmann6: TestFunction = {
  name: 'hartmann6',
  space: box(names(6), 0, 1),
  optimum: -3.32236801141551,
  evaluate(p) {
    const x = vector(p, 6);
    let s = 0;
    for (let i = 0; i < 4; i++) {
      let inner = 0;
      for (let j = 0; j < 6; j++) inner += H6_A[i][j] * (x[j] - H6_P[i][j]) ** 2;
      s -= H6_ALPHA[i] * Math.exp(-inner);
    }
    return s;
  },
};

const rosenbrock4: TestFunction = {
  name: 'rosenbrock4',
  space: box(names(4), -5, 10),
  optimum: 0,
  evaluate(p) {
    const x = vector(p, 4);
    let s = 0;
    for (let i = 0; i < 3; i++) s += 100 * (x[i + 1] - x[i] * x[i]) ** 2 + (1 - x[i]) ** 2;
    return s;
  },
};

const ackley5: TestFunction = {
  name: 'ackley5',
  space: box(names(5), -32.768, 32.768),
  optimum: 0,
  evaluate(p) {
    const x = vector(p, 5);
    const d = x.length;
    const sq = x.reduce((s, v) => s + v * v, 0) / d;
    const cs = x.reduce((s, v) => s + Math.cos(2 * Math.PI * v), 0) / d;
    return -20 * Math.exp(-0.2 * Math.sqrt(sq)) - Math.exp(cs) + 20 + Math.E;
  },
};

const levy4: TestFunction = {
  name: 'levy4',
  space: box(names(4), -10, 10),
  optimum: 0,
  evaluate(p) {
    const w = vector(p, 4).map((v) => 1 + (v - 1) / 4);
    const d = w.length;
    let s = Math.sin(Math.PI * w[0]) ** 2;
    for (let i = 0; i < d - 1; i++) s += (w[i] - 1) ** 2 * (1 + 10 * Math.sin(Math.PI * w[i] + 1) ** 2);
    s += (w[d - 1] - 1) ** 2 * (1 + Math.sin(2 * Math.PI * w[d - 1]) ** 2);
    return s;
  },
};

const styblinskiTang8: TestFunction = {
  name: 'styblinski-tang8',
  space: box(names(8), -5, 5),
  optimum: -39.16616570377142 * 8,
  evaluate(p) {
    return vector(p, 8).reduce((s, v) => s + (v ** 4 - 16 * v * v + 5 * v) / 2, 0);
  },
};

const MIXED_OFFSET: Record<string, number> = { A: 0, B: 0.5, C: 1 };

/**
 * A mixed space: a categorical, a linear float, a log float and an integer. The optimum 0 is at
 * c = A, x = 1, lr = 1e-3, n = 20.
 */
const mixed: TestFunction = {
  name: 'mixed',
  space: {
    c: { type: 'categorical', values: ['A', 'B', 'C'] },
    x: { type: 'float', low: -5, high: 5 },
    lr: { type: 'float', low: 1e-5, high: 1, log: true },
    n: { type: 'int', low: 1, high: 32 },
  },
  optimum: 0,
  evaluate(p) {
    const lr = p.lr as number;
    return MIXED_OFFSET[p.c as string] + ((p.x as number) - 1) ** 2 + (Math.log10(lr) + 3) ** 2 / 4 + (((p.n as number) - 20) / 10) ** 2;
  },
};

/** Schwefel 4-D: a deceptive landscape whose best minimum sits near a corner, far from the second best. */
const schwefel4: TestFunction = {
  name: 'schwefel4',
  space: box(names(4), -500, 500),
  // 418.9829·d − Σ x sin √|x| is 0 (to 1e-12) at x_i = 420.968746 in every coordinate.
  optimum: 0,
  evaluate(p) {
    const x = vector(p, 4);
    return 418.9828872724338 * x.length - x.reduce((s, v) => s + v * Math.sin(Math.sqrt(Math.abs(v))), 0);
  },
};

/** Eggholder 2-D: many deep, irregular minima; the global one lies on the edge x0 = 512. */
const eggholder2: TestFunction = {
  name: 'eggholder2',
  space: box(names(2), -512, 512),
  // At (512, 404.2318), found by a fine line search along the edge.
  optimum: -959.6406627208509,
  evaluate(p) {
    const x = p.x0 as number,
      y = p.x1 as number;
    return -(y + 47) * Math.sin(Math.sqrt(Math.abs(y + x / 2 + 47))) - x * Math.sin(Math.sqrt(Math.abs(x - (y + 47))));
  },
};

/** The seven functions of the original benchmark (the default `--functions`). */
export const ORIGINAL_FUNCTIONS: readonly string[] = ['branin', 'hartmann6', 'rosenbrock4', 'ackley5', 'levy4', 'styblinski-tang8', 'mixed'];

/** The benchmark's test functions, by name, with their usual domains and optima: the seven originals, then the rugged ones. */
export const TEST_FUNCTIONS: readonly TestFunction[] = [branin, hartmann6, rosenbrock4, ackley5, levy4, styblinskiTang8, mixed, schwefel4, eggholder2];
