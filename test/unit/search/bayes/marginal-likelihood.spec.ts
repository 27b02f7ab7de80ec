import { kernelMatrix, kernelParamsFromLog } from '../../../../src/search/samplers/bayes/matern52.kernel';
import { DEFAULT_PRIOR, GpData, HyperPrior, negLogPosterior } from '../../../../src/search/samplers/bayes/marginal-likelihood';
import { fitHyperparameters, defaultStarts } from '../../../../src/search/samplers/bayes/hyperparameter-fit';
import { cholesky, choleskySolve, logDiagSum } from '../../../../src/search/numeric/cholesky';

function data(n: number): GpData {
  // Two numeric dimensions and one categorical (3 categories).
  const d = 3;
  const X = new Float64Array(n * d);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    X[i * d] = (i * 0.6180339) % 1;
    X[i * d + 1] = (i * 0.4142135) % 1;
    X[i * d + 2] = i % 3;
    y[i] = Math.sin(6 * X[i * d]) + X[i * d + 1] ** 2 + 0.5 * X[i * d + 2];
  }
  const mean = y.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(y.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  return { X, y: y.map((v) => (v - mean) / sd), n, d, isCat: new Uint8Array([0, 0, 1]) };
}

const NO_PRIOR: HyperPrior = { lengthWeight: 0, logSignalMean: 0, logSignalSd: 1e12, noiseShape: 1, noiseRate: 0 };

describe('GP marginal likelihood', () => {
  it('equals ½ yᵀK⁻¹y + ½ log|K| + n/2 log 2π without priors', () => {
    const g = data(15);
    const theta = Float64Array.from([Math.log(0.4), Math.log(0.7), Math.log(1.3), Math.log(1.2), Math.log(1e-3)]);
    const K = kernelMatrix(g.X, g.n, g.d, kernelParamsFromLog(theta, g.d), g.isCat);
    const L = cholesky(K, g.n)!;
    const alpha = choleskySolve(L, g.y, g.n);
    const expected = 0.5 * g.y.reduce((s, v, i) => s + v * alpha[i], 0) + logDiagSum(L, g.n) + 0.5 * g.n * Math.log(2 * Math.PI);
    expect(negLogPosterior(theta, g, NO_PRIOR, new Float64Array(5))).toBeCloseTo(expected, 9);
  });

  it('has an analytic gradient that matches finite differences (with and without priors)', () => {
    const g = data(20);
    for (const prior of [NO_PRIOR, DEFAULT_PRIOR]) {
      const theta = Float64Array.from([Math.log(0.3), Math.log(0.8), Math.log(0.6), Math.log(0.9), Math.log(2e-2)]);
      const grad = new Float64Array(5);
      negLogPosterior(theta, g, prior, grad);
      for (let k = 0; k < 5; k++) {
        const h = 1e-5;
        const plus = Float64Array.from(theta),
          minus = Float64Array.from(theta);
        plus[k] += h;
        minus[k] -= h;
        const fd = (negLogPosterior(plus, g, prior, new Float64Array(5)) - negLogPosterior(minus, g, prior, new Float64Array(5))) / (2 * h);
        expect(Math.abs(grad[k] - fd)).toBeLessThan(1e-5 * Math.max(1, Math.abs(fd)));
      }
    }
  });

  it('MAP fitting lowers the objective from the default starts and keeps noise above the floor', () => {
    const g = data(30);
    const starts = defaultStarts(g.d, 1e-6);
    const start = negLogPosterior(starts[0], g, DEFAULT_PRIOR, new Float64Array(5));
    const fit = fitHyperparameters(g, { noiseFloor: 1e-6, starts, maxIterations: 60 });
    expect(fit.value).toBeLessThan(start);
    expect(Math.exp(fit.theta[4])).toBeGreaterThanOrEqual(1e-6 * (1 - 1e-9));
    // The categorical dimension matters in this data, so its length-scale must not run off to the upper bound.
    expect(Math.exp(fit.theta[2])).toBeLessThan(50);
  });
});
