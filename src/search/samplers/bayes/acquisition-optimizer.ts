import { minimizeLbfgs } from '../../numeric/lbfgs';
import { SOBOL_MAX_DIMENSION, sobolPoints, sobolScramble } from '../../numeric/sobol';
import { Rng } from '../../rng';
import { Params } from '../../space/space.types';
import { decodeParams } from '../../space/unit-cube';
import { paramsKey } from '../grid.sampler';
import { acquisition, AcquisitionConfig } from './acquisition';
import { FeatureSpace, featuresOfPoint, gradientMask } from './features';
import { GpPosterior, predict, predictScratch, PredictScratch } from './gp-posterior';

/** Options of {@link maximizeAcquisition}. */
export interface MaximizeOptions {
  /** Quasi-random candidates scored before local refinement. */
  candidates: number;
  /** How many of the best candidates are refined locally. */
  restarts: number;
  /** Unit-cube points of the best observations, perturbed to give local candidates. */
  incumbents: Float64Array[];
  /** Keys (`paramsKey`) of points already evaluated, pending or chosen. */
  taken: Set<string>;
  rng: Rng;
}

/**
 * An acquisition as the optimiser sees it: a value at a unit-cube point (higher is better), and
 * the same value with many-level discrete coordinates relaxed and its gradient over `mask`.
 */
export interface AcquisitionScorer {
  score(u: ArrayLike<number>): number;
  scoreWithGradient(u: ArrayLike<number>, mask: Uint8Array, grad: Float64Array): number;
}

/** Evaluates the acquisition at a unit-cube point (features as decoded). */
class Scorer implements AcquisitionScorer {
  readonly scratch: PredictScratch;
  private readonly f: Float64Array;
  private readonly gm: Float64Array;
  private readonly gv: Float64Array;
  evaluations = 0;

  constructor(
    private readonly fs: FeatureSpace,
    private readonly post: GpPosterior,
    private readonly cfg: AcquisitionConfig,
  ) {
    this.scratch = predictScratch(post);
    this.f = new Float64Array(fs.d);
    this.gm = new Float64Array(fs.d);
    this.gv = new Float64Array(fs.d);
  }

  score(u: ArrayLike<number>): number {
    this.evaluations++;
    featuresOfPoint(this.fs, u, this.f);
    const p = predict(this.post, this.f, this.scratch);
    const v = acquisition(p.mean, p.variance, this.cfg).value;
    return Number.isFinite(v) ? v : -Infinity;
  }

  /** Value at `u` with many-level discrete coordinates relaxed, and its gradient over `mask`. */
  scoreWithGradient(u: ArrayLike<number>, mask: Uint8Array, grad: Float64Array): number {
    this.evaluations++;
    featuresOfPoint(this.fs, u, this.f, true);
    const p = predict(this.post, this.f, this.scratch, mask, this.gm, this.gv);
    const a = acquisition(p.mean, p.variance, this.cfg);
    for (let j = 0; j < this.fs.d; j++) grad[j] = mask[j] ? a.dMean * this.gm[j] + a.dVariance * this.gv[j] : 0;
    return a.value;
  }
}

function candidatePoints(fs: FeatureSpace, opts: MaximizeOptions): Float64Array[] {
  const { d } = fs;
  const out: Float64Array[] = [];
  if (d <= SOBOL_MAX_DIMENSION) {
    const flat = sobolPoints(d, 0, opts.candidates, sobolScramble(d, opts.rng));
    for (let k = 0; k < opts.candidates; k++) out.push(flat.slice(k * d, (k + 1) * d));
  } else {
    for (let k = 0; k < opts.candidates; k++) out.push(Float64Array.from({ length: d }, () => opts.rng.next()));
  }
  // Local candidates around the best points find the last digits that space-filling ones miss.
  const perIncumbent = Math.max(8, Math.floor(opts.candidates / 8 / Math.max(1, opts.incumbents.length)));
  for (const inc of opts.incumbents) {
    for (let k = 0; k < perIncumbent; k++) {
      const scale = k % 3 === 0 ? 0.1 : k % 3 === 1 ? 0.02 : 0.004;
      const u = new Float64Array(d);
      for (let j = 0; j < d; j++) {
        const base = Number.isFinite(inc[j]) ? inc[j] : opts.rng.next();
        if (fs.isCat[j] || (!fs.isGradient[j] && fs.levels[j].length <= 4)) u[j] = opts.rng.next() < 1 / d ? opts.rng.next() : base;
        else u[j] = Math.min(Math.max(base + scale * opts.rng.normal(), 0), 1);
      }
      out.push(u);
    }
  }
  return out;
}

/** Coordinate search over enumerable dimensions, then bounded L-BFGS over the gradient ones; repeated while it helps. */
function refine(fs: FeatureSpace, scorer: AcquisitionScorer, start: Float64Array, startValue: number): { u: Float64Array; value: number } {
  let u = Float64Array.from(start);
  let value = startValue;
  const mask = new Uint8Array(fs.d);
  const lower = new Float64Array(fs.d);
  const upper = new Float64Array(fs.d).fill(1);
  for (let round = 0; round < 3; round++) {
    const before = value;
    gradientMask(fs, u, mask);
    if (mask.some((m) => m === 1)) {
      const trial = Float64Array.from(u);
      const r = minimizeLbfgs((x, g) => -scorer.scoreWithGradient(x, mask, g), trial, {
        lower,
        upper,
        maxIterations: 25,
        gradTolerance: 1e-6,
        valueTolerance: 1e-10,
      });
      if (r.ok) {
        const snappedValue = scorer.score(r.x);
        if (snappedValue > value) {
          u = Float64Array.from(r.x);
          value = snappedValue;
        }
      }
    }
    for (let j = 0; j < fs.d; j++) {
      if (fs.isGradient[j]) continue;
      const current = u[j];
      let bestC = current;
      for (const c of fs.levels[j]) {
        u[j] = c;
        const v = scorer.score(u);
        if (v > value) {
          value = v;
          bestC = c;
        }
      }
      u[j] = bestC;
    }
    if (!(value > before + 1e-12 * Math.abs(before))) break;
  }
  return { u, value };
}

/**
 * Maximises the acquisition: scores many scrambled-Sobol and near-incumbent candidates, refines the
 * best few locally, and returns the best point whose decoded parameters are not already taken (or
 * undefined when every scored point is taken).
 */
export function maximizeAcquisition(fs: FeatureSpace, post: GpPosterior, cfg: AcquisitionConfig, opts: MaximizeOptions): Params | undefined {
  return maximizeScorer(fs, new Scorer(fs, post, cfg), opts);
}

/** {@link maximizeAcquisition} for any acquisition (the multi-objective one scores several posteriors). */
export function maximizeScorer(fs: FeatureSpace, scorer: AcquisitionScorer, opts: MaximizeOptions): Params | undefined {
  const cands = candidatePoints(fs, opts);
  const scores = cands.map((u) => scorer.score(u));
  const order = Array.from(cands.keys()).sort((a, b) => scores[b] - scores[a] || a - b);
  const pool: { u: Float64Array; value: number }[] = [];
  const seen = new Set<string>();
  for (const i of order) {
    if (pool.length >= opts.restarts) break;
    const key = paramsKey(decodeParams(fs.space, cands[i]));
    if (seen.has(key)) continue;
    seen.add(key);
    pool.push(refine(fs, scorer, cands[i], scores[i]));
  }
  for (const i of order) pool.push({ u: cands[i], value: scores[i] });
  pool.sort((a, b) => b.value - a.value);
  for (const { u } of pool) {
    const params = decodeParams(fs.space, u);
    if (!opts.taken.has(paramsKey(params))) return params;
  }
  return undefined;
}
