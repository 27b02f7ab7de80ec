import { minimizeLbfgs } from '../../../../src/search/numeric/lbfgs';

describe('minimizeLbfgs', () => {
  it('finds the minimum of the Rosenbrock function', () => {
    const r = minimizeLbfgs(
      (x, g) => {
        const [a, b] = [x[0], x[1]];
        g[0] = -400 * a * (b - a * a) - 2 * (1 - a);
        g[1] = 200 * (b - a * a);
        return 100 * (b - a * a) ** 2 + (1 - a) ** 2;
      },
      [-1.2, 1],
      { maxIterations: 200, gradTolerance: 1e-8, valueTolerance: 0 },
    );
    expect(r.x[0]).toBeCloseTo(1, 4);
    expect(r.x[1]).toBeCloseTo(1, 4);
  });

  it('respects bounds: the constrained minimum sits on the boundary', () => {
    const r = minimizeLbfgs(
      (x, g) => {
        g[0] = 2 * (x[0] - 3);
        g[1] = 2 * (x[1] + 1);
        return (x[0] - 3) ** 2 + (x[1] + 1) ** 2;
      },
      [0.5, 0.5],
      { lower: [0, 0], upper: [1, 1] },
    );
    expect(Array.from(r.x)).toEqual([1, 0]);
  });

  it('reports failure when the start is not finite', () => {
    expect(minimizeLbfgs(() => NaN, [0]).ok).toBe(false);
  });
});
