import { appendObservation, buildPosterior, predict, predictScratch } from '../../../../src/search/samplers/bayes/gp-posterior';
import { kernelParamsFromLog } from '../../../../src/search/samplers/bayes/matern52.kernel';

const d = 2;
const n = 10;
const X = Float64Array.from({ length: n * d }, (_, i) => (i * 0.7548776662) % 1);
const y = Float64Array.from({ length: n }, (_, i) => Math.cos(4 * X[i * d]) - X[i * d + 1]);
const params = kernelParamsFromLog([Math.log(0.3), Math.log(0.5), 0, Math.log(1e-8)], d);
const isCat = new Uint8Array(d);

describe('GP posterior', () => {
  it('interpolates noise-free observations with near-zero variance there', () => {
    const post = buildPosterior(X, y, n, d, isCat, params, 0)!;
    const s = predictScratch(post);
    for (let i = 0; i < n; i++) {
      const p = predict(post, X.subarray(i * d, (i + 1) * d), s);
      expect(p.mean).toBeCloseTo(y[i], 5);
      expect(p.variance).toBeLessThan(1e-5);
    }
    expect(predict(post, [5, 5], s).variance).toBeCloseTo(1, 6);
  });

  it('reports mean and variance gradients that match finite differences', () => {
    const post = buildPosterior(X, y, n, d, isCat, params, 0)!;
    const s = predictScratch(post);
    const gm = new Float64Array(d),
      gv = new Float64Array(d);
    const x = [0.33, 0.41];
    predict(post, x, s, new Uint8Array([1, 1]), gm, gv);
    for (let j = 0; j < d; j++) {
      const h = 1e-6;
      const a = [...x],
        b = [...x];
      a[j] += h;
      b[j] -= h;
      const pa = predict(post, a, s),
        pb = predict(post, b, s);
      expect(gm[j]).toBeCloseTo((pa.mean - pb.mean) / (2 * h), 5);
      expect(gv[j]).toBeCloseTo((pa.variance - pb.variance) / (2 * h), 5);
    }
  });

  it('appending an observation gives the same posterior as rebuilding with it', () => {
    const extra = [0.5, 0.5];
    const grown = buildPosterior(X, y, n, d, isCat, params, 1)!;
    appendObservation(grown, extra, 0.25);
    const X2 = new Float64Array([...X, ...extra]);
    const y2 = new Float64Array([...y, 0.25]);
    const rebuilt = buildPosterior(X2, y2, n + 1, d, isCat, params, 0)!;
    for (const x of [
      [0.1, 0.9],
      [0.52, 0.48],
      [0.8, 0.2],
    ]) {
      const a = predict(grown, x, predictScratch(grown));
      const b = predict(rebuilt, x, predictScratch(rebuilt));
      expect(a.mean).toBeCloseTo(b.mean, 6);
      expect(a.variance).toBeCloseTo(b.variance, 6);
    }
  });
});
