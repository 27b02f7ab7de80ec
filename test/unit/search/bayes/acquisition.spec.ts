import { acquisition } from '../../../../src/search/samplers/bayes/acquisition';
import { normCdf, normPdf } from '../../../../src/search/numeric/normal';

function directEi(mean: number, sd: number, best: number): number {
  const z = (best - mean) / sd;
  return sd * (z * normCdf(z) + normPdf(z));
}

describe('acquisition functions', () => {
  it('log EI equals the log of the direct EI formula where that is stable', () => {
    for (const [m, v, b] of [
      [0, 1, 0],
      [1, 0.25, 0],
      [-0.5, 2, 0.3],
      [3, 0.5, -1],
    ]) {
      expect(acquisition(m, v, { kind: 'logEI', best: b, beta: 2 }).value).toBeCloseTo(Math.log(directEi(m, Math.sqrt(v), b)), 8);
    }
  });

  it('log EI ranks points far from the incumbent where direct EI is 0', () => {
    const far = acquisition(50, 1, { kind: 'logEI', best: 0, beta: 2 });
    const farther = acquisition(60, 1, { kind: 'logEI', best: 0, beta: 2 });
    expect(directEi(50, 1, 0)).toBe(0);
    expect(Number.isFinite(far.value)).toBe(true);
    expect(far.value).toBeGreaterThan(farther.value);
  });

  it('reports derivatives in mean and variance', () => {
    for (const kind of ['logEI', 'ucb'] as const) {
      const cfg = { kind, best: 0.1, beta: 1.5 };
      const r = acquisition(0.4, 0.3, cfg);
      const h = 1e-6;
      expect(r.dMean).toBeCloseTo((acquisition(0.4 + h, 0.3, cfg).value - acquisition(0.4 - h, 0.3, cfg).value) / (2 * h), 5);
      expect(r.dVariance).toBeCloseTo((acquisition(0.4, 0.3 + h, cfg).value - acquisition(0.4, 0.3 - h, cfg).value) / (2 * h), 5);
    }
    expect(acquisition(1, 4, { kind: 'ucb', best: 0, beta: 2 }).value).toBeCloseTo(-1 + 2 * 2, 12);
  });
});
