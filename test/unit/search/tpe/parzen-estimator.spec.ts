import { createRng } from '../../../../src/search/rng';
import { buildParzenEstimator, logPdfParzen, ParzenOptions, sampleParzen } from '../../../../src/search/samplers/tpe/parzen-estimator';
import { TpeDimension } from '../../../../src/search/samplers/tpe/tpe-space';
import { logGaussMass, sampleTruncatedNormal } from '../../../../src/search/samplers/tpe/truncated-normal';
import { normCdf } from '../../../../src/search/numeric/normal';

const continuous = (name: string): TpeDimension => ({ name, kind: 'continuous', levels: Infinity });
const opts = (bandwidth: ParzenOptions['bandwidth'] = 'neighbour'): ParzenOptions => ({ priorWeight: 1, bandwidth, magicClip: true });
const rows = (...xs: number[][]): Float64Array[] => xs.map((x) => Float64Array.from(x));

describe('truncated normal', () => {
  it('logGaussMass matches log(Φ(b) − Φ(a)) where that is accurate, and stays finite far in the tails', () => {
    for (const [a, b] of [
      [-1, 1],
      [0.5, 2],
      [-3, -1],
      [-0.2, 0.3],
    ]) {
      expect(logGaussMass(a, b)).toBeCloseTo(Math.log(normCdf(b) - normCdf(a)), 10);
    }
    // Φ(31) − Φ(30) is 0 in doubles; its log is about −30²/2 − log(30·√(2π)).
    const far = logGaussMass(30, 31);
    expect(Number.isFinite(far)).toBe(true);
    expect(far).toBeCloseTo(-450 - Math.log(30 * Math.sqrt(2 * Math.PI)), 2);
    expect(logGaussMass(-31, -30)).toBeCloseTo(far, 10);
    expect(logGaussMass(1, 1)).toBe(-Infinity);
  });

  it('draws stay inside the interval and follow the truncated density', () => {
    const rng = createRng(1);
    let inside = 0;
    let belowMu = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const x = sampleTruncatedNormal(0.9, 0.3, 0, 1, rng);
      if (x >= 0 && x <= 1) inside++;
      if (x < 0.9) belowMu++;
    }
    expect(inside).toBe(n);
    // P(x < 0.9 | 0 ≤ x ≤ 1) = (Φ(0) − Φ(−3)) / (Φ(1/3) − Φ(−3)).
    const expected = (normCdf(0) - normCdf(-3)) / (normCdf(1 / 3) - normCdf(-3));
    expect(belowMu / n).toBeCloseTo(expected, 1);
  });
});

describe('Parzen estimator', () => {
  it('is a normalised density on the unit interval (kernels truncated, prior included)', () => {
    for (const bandwidth of ['neighbour', 'scott'] as const) {
      const est = buildParzenEstimator([continuous('x')], rows([0.02], [0.3], [0.35], [0.97]), [1, 1, 1, 1], opts(bandwidth));
      const m = 20_000;
      let integral = 0;
      for (let i = 0; i < m; i++) integral += Math.exp(logPdfParzen(est, [(i + 0.5) / m])) / m;
      expect(integral).toBeCloseTo(1, 3);
    }
  });

  it('follows Optuna: neighbour widths, the magic clip, the prior component last with width 1', () => {
    const est = buildParzenEstimator([continuous('x')], rows([0.1], [0.2], [0.8]), [1, 1, 1], opts());
    // Sorted centres with the prior: 0.1, 0.2, 0.5, 0.8; ends take their inner gap (consider_endpoints off).
    // Gaps 0.1, 0.3, 0.3; the first is clipped up to 1/min(100, 1 + 4 kernels) = 0.2.
    [0.2, 0.3, 0.3].forEach((sigma, i) => expect(est.sigmas[i]).toBeCloseTo(sigma, 12));
    expect(est.sigmas[3]).toBe(1);
    expect(est.mus[3]).toBe(0.5);
    expect(Array.from(est.weights)).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it('uses one Scott-style width 0.2·n^(-1/(D+4)) per kernel with the scott rule', () => {
    const obs = rows(...Array.from({ length: 40 }, (_, i) => [(i + 0.5) / 40, ((i * 7) % 40) / 40]));
    const est = buildParzenEstimator([continuous('x'), continuous('y')], obs, new Float64Array(40).fill(1), opts('scott'));
    expect(est.sigmas[0]).toBeCloseTo(0.2 * 40 ** (-1 / 6), 12);
    expect(est.sigmas[2 * 40]).toBe(1);
  });

  it('is densest at its observations, and a joint kernel keeps their correlation', () => {
    // Points on the diagonal: a joint kernel puts (0.8, 0.8) far above (0.8, 0.2); independent marginals could not.
    const obs = rows([0.2, 0.2], [0.4, 0.4], [0.6, 0.6], [0.8, 0.8]);
    const est = buildParzenEstimator([continuous('x'), continuous('y')], obs, [1, 1, 1, 1], opts());
    expect(logPdfParzen(est, [0.8, 0.8])).toBeGreaterThan(logPdfParzen(est, [0.8, 0.2]) + 1);
  });

  it('gives discrete cells and categories probabilities that sum to 1', () => {
    const dims: TpeDimension[] = [
      { name: 'n', kind: 'cells', levels: 5 },
      { name: 'c', kind: 'categorical', levels: 3 },
    ];
    const est = buildParzenEstimator(dims, rows([0.1, 0], [0.5, 2], [0.5, 2]), [1, 1, 1], opts());
    let total = 0;
    for (let k = 0; k < 5; k++) for (let c = 0; c < 3; c++) total += Math.exp(logPdfParzen(est, [(k + 0.5) / 5, c]));
    expect(total).toBeCloseTo(1, 10);
    // Two of three observations are at (cell 2, category 2): the most probable point.
    expect(logPdfParzen(est, [0.5, 2])).toBeGreaterThan(logPdfParzen(est, [0.5, 1]));
    expect(logPdfParzen(est, [0.5, 2])).toBeGreaterThan(logPdfParzen(est, [0.9, 2]));
  });

  it('samples snap discrete coordinates to cell centres and categories to indices', () => {
    const dims: TpeDimension[] = [
      { name: 'n', kind: 'cells', levels: 4 },
      { name: 'c', kind: 'categorical', levels: 3 },
    ];
    const est = buildParzenEstimator(dims, rows([0.375, 1]), [1], opts());
    const rng = createRng(2);
    for (let i = 0; i < 200; i++) {
      const [u, c] = sampleParzen(est, rng);
      expect([0.125, 0.375, 0.625, 0.875]).toContain(u);
      expect([0, 1, 2]).toContain(c);
    }
  });
});
