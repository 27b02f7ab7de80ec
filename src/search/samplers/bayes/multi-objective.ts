import { Direction, HistoryTrial } from '../../history.types';
import { boxDecomposition, BoxDecomposition, logEhvi } from '../../multi/ehvi';
import { completePoints } from '../../multi/objective-points';
import { nsgaOrder } from '../../multi/pareto';
import { logH } from '../../numeric/normal';
import { Params } from '../../space/space.types';
import { encodeParams } from '../../space/unit-cube';
import { paramsKey } from '../grid.sampler';
import { SuggestInput } from '../sampler.types';
import { AcquisitionScorer, maximizeAcquisition, maximizeScorer } from './acquisition-optimizer';
import { BayesSettings } from './bayes.settings';
import { FeatureSpace, featureSpace, featuresOfParams, featuresOfPoint } from './features';
import { FitSettings, hyperparametersFor } from './fit-schedule';
import { appendObservation, buildPosterior, GpPosterior, predict, predictScratch, PredictScratch } from './gp-posterior';
import { kernelParamsFromLog } from './matern52.kernel';
import { gpData, Observations, selectSubset } from './observations';

/** Front points whose neighbourhoods seed local candidates. */
const INCUMBENTS = 5;
/** Margin of the `nadir` reference point beyond the front's worst value, as a share of the front's range (at least this many standard deviations). */
const NADIR_MARGIN = 0.1;

/** Complete trials with every objective value: shared features, one loss vector per objective, and the constraint violation. */
interface MultiObservations {
  X: Float64Array;
  losses: Float64Array[];
  violation: Float64Array;
  params: Params[];
  /** Position of each in constrained NSGA-II order (0 = best), used to choose a capped subset. */
  position: Float64Array;
  n: number;
}

function collectMulti(fs: FeatureSpace, history: readonly HistoryTrial[], objectives: readonly Direction[]): MultiObservations {
  const complete = completePoints(history, objectives);
  const n = complete.length;
  const X = new Float64Array(n * fs.d);
  const losses = objectives.map(() => new Float64Array(n));
  const violation = new Float64Array(n);
  const params: Params[] = [];
  complete.forEach((c, i) => {
    const t = history[c.index];
    featuresOfParams(fs, t.params, X.subarray(i * fs.d, (i + 1) * fs.d));
    c.point.losses.forEach((v, j) => (losses[j][i] = v));
    violation[i] = c.point.violation;
    params.push(t.params);
  });
  const position = new Float64Array(n);
  nsgaOrder(complete.map((c) => c.point)).forEach((i, rank) => (position[i] = rank));
  return { X, losses, violation, params, position, n };
}

/** One GP of the multi-objective model, with the standardised targets of the rows it conditions on. */
interface Model {
  post: GpPosterior;
  y: Float64Array;
}

function fitModel(fs: FeatureSpace, obs: Observations, indices: Int32Array, settings: BayesSettings, extra: number): Model | undefined {
  const fit: FitSettings = {
    noiseFloor: settings.noiseFloor,
    maxFitPoints: settings.maxFitPoints,
    outputWarp: settings.outputWarp,
    priorMean: settings.priorMean,
  };
  const theta = hyperparametersFor(fs, obs, fit);
  const data = gpData(fs, obs, indices, settings.outputWarp, settings.priorMean);
  const post = buildPosterior(data.X, data.y, data.n, fs.d, fs.isCat, kernelParamsFromLog(theta, fs.d), extra);
  return post ? { post, y: data.y } : undefined;
}

/**
 * The reference point in the models' standardised units: on each objective, the `quantile` of the
 * front's values plus a tenth of their range (at least a tenth of a standard deviation). With
 * three objectives a front keeps points that are extreme on two objectives and poor on the third
 * (DTLZ2 early on); measured from the front's very worst value, improvement there kept drawing
 * trials to regions no sensible reference point covers (bench/search --multi).
 */
export function referencePoint(front: readonly (readonly number[])[], worst: readonly number[], quantile: number): number[] {
  return worst.map((w, j) => {
    if (front.length === 0) return w + NADIR_MARGIN;
    const values = front.map((p) => p[j]).sort((a, b) => a - b);
    const at = values[Math.min(values.length - 1, Math.ceil(quantile * (values.length - 1)))];
    return at + Math.max(NADIR_MARGIN * (values[values.length - 1] - values[0]), NADIR_MARGIN);
  });
}

/** `log Φ(z)` and its derivative `φ(z)/Φ(z)`, stable in the lower tail (from logH: Φ = slope·h, φ = h·(1 − z·slope)). */
function logNormCdf(z: number): { value: number; slope: number } {
  const h = logH(z);
  return { value: Math.log(h.slope) + h.value, slope: (1 - z * h.slope) / h.slope };
}

/**
 * Log EHVI of the objective models at a point, plus the log probability that the violation model
 * lies below `threshold` there (feasible) when there is one.
 */
class MultiScorer implements AcquisitionScorer {
  private readonly f: Float64Array;
  private readonly scratch: PredictScratch[];
  private readonly gm: Float64Array[];
  private readonly gv: Float64Array[];
  private readonly mean: Float64Array;
  private readonly sd: Float64Array;

  constructor(
    private readonly fs: FeatureSpace,
    private readonly models: GpPosterior[],
    private readonly dec: BoxDecomposition,
    private readonly feasibility?: { post: GpPosterior; threshold: number },
  ) {
    const all = feasibility ? [...models, feasibility.post] : models;
    this.f = new Float64Array(fs.d);
    this.scratch = all.map(predictScratch);
    this.gm = all.map(() => new Float64Array(fs.d));
    this.gv = all.map(() => new Float64Array(fs.d));
    this.mean = new Float64Array(models.length);
    this.sd = new Float64Array(models.length);
  }

  score(u: ArrayLike<number>): number {
    featuresOfPoint(this.fs, u, this.f);
    const v = this.evaluate();
    return Number.isFinite(v) ? v : -Infinity;
  }

  scoreWithGradient(u: ArrayLike<number>, mask: Uint8Array, grad: Float64Array): number {
    featuresOfPoint(this.fs, u, this.f, true);
    return this.evaluate(mask, grad);
  }

  private evaluate(mask?: Uint8Array, grad?: Float64Array): number {
    const m = this.models.length;
    for (let j = 0; j < m; j++) {
      const p = predict(this.models[j], this.f, this.scratch[j], mask, this.gm[j], this.gv[j]);
      this.mean[j] = p.mean;
      this.sd[j] = Math.sqrt(p.variance);
    }
    const r = logEhvi(this.dec, this.mean, this.sd);
    let value = r.value;
    if (grad && mask) {
      grad.fill(0);
      for (let j = 0; j < m; j++) {
        const dVar = r.dSd[j] / (2 * this.sd[j]);
        for (let i = 0; i < this.fs.d; i++) if (mask[i]) grad[i] += r.dMean[j] * this.gm[j][i] + dVar * this.gv[j][i];
      }
    }
    if (this.feasibility) {
      const p = predict(this.feasibility.post, this.f, this.scratch[m], mask, this.gm[m], this.gv[m]);
      const sd = Math.sqrt(p.variance);
      const z = (this.feasibility.threshold - p.mean) / sd;
      const c = logNormCdf(z);
      value += c.value;
      if (grad && mask) {
        // dz/dμ = −1/σ, dz/dσ = −z/σ, dσ/dvar = 1/(2σ).
        const dMean = -c.slope / sd;
        const dVar = (-c.slope * z) / sd / (2 * sd);
        for (let i = 0; i < this.fs.d; i++) if (mask[i]) grad[i] += dMean * this.gm[m][i] + dVar * this.gv[m][i];
      }
    }
    if (grad && !Number.isFinite(value)) grad.fill(0);
    return value;
  }
}

/** Indices (into the observations) of the feasible trials that no other feasible trial dominates. */
function frontOf(obs: MultiObservations, models: readonly Model[]): number[] {
  const rows: number[] = [];
  const m = models.length;
  const weakly = (a: number, b: number): boolean => {
    for (let j = 0; j < m; j++) if (obs.losses[j][a] > obs.losses[j][b]) return false;
    return true;
  };
  for (let k = 0; k < obs.n; k++) {
    if (obs.violation[k] > 0) continue;
    if (rows.some((r) => weakly(r, k))) continue;
    for (let i = rows.length - 1; i >= 0; i--) if (weakly(k, rows[i])) rows.splice(i, 1);
    rows.push(k);
  }
  return rows;
}

/**
 * The monotone map from an objective's losses to its model's standardised targets, read off the
 * rows the model conditions on: linear between them, and beyond them along the end segments.
 */
export function modelScale(raw: readonly number[], y: ArrayLike<number>): (v: number) => number {
  const pairs = raw.map((r, k) => [r, y[k]] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const xs: number[] = [];
  const ys: number[] = [];
  for (const [r, t] of pairs) {
    if (xs.length && r === xs[xs.length - 1]) continue;
    xs.push(r);
    ys.push(t);
  }
  if (xs.length === 1) return () => ys[0];
  const last = xs.length - 1;
  return (v) => {
    let lo = 0;
    let hi = last;
    if (v <= xs[0]) hi = 1;
    else if (v >= xs[last]) lo = last - 1;
    else
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (xs[mid] <= v) lo = mid;
        else hi = mid;
      }
    return ys[lo] + ((v - xs[lo]) * (ys[hi] - ys[lo])) / (xs[hi] - xs[lo]);
  };
}

/**
 * Suggestions from one GP per objective and log expected hypervolume improvement (constraints:
 * a GP on the violation, see {@link bayesSampler}). Returns fewer than `count` (none) when there
 * are too few complete trials for a model.
 */
export function multiObjectiveSuggestions(
  input: SuggestInput<BayesSettings>,
  objectives: readonly Direction[],
  chosen: Params[],
  count: number,
  taken: Set<string>,
): Params[] {
  const { space, history, pending, settings, rng } = input;
  const fs = featureSpace(space);
  const obs = collectMulti(fs, history, objectives);
  if (obs.n < 2) return [];
  const indices = selectSubset(obs.position, obs.n, settings.multiModelPoints);
  const extra = pending.length + chosen.length + count;
  const asObservations = (values: Float64Array): Observations => ({ X: obs.X, values, params: obs.params, n: obs.n });
  const models: Model[] = [];
  for (const losses of obs.losses) {
    const model = fitModel(fs, asObservations(losses), indices, settings, extra);
    if (!model) return [];
    models.push(model);
  }
  const violation = Array.from(indices, (i) => obs.violation[i]);
  const feasibleCount = violation.filter((v) => v <= 0).length;
  const constrained = feasibleCount < violation.length;
  // Constrained domination, as evolution and tpe rank: with no feasible trial yet, look for one by minimising the violation.
  const violationModel = constrained ? fitModel(fs, asObservations(obs.violation), indices, settings, extra) : undefined;
  if (constrained && !violationModel) return [];
  if (violationModel && feasibleCount === 0) return violationSuggestions(input, fs, violationModel, indices, obs, chosen, count, taken);

  const scratch = models.map((md) => predictScratch(md.post));
  // The front is every feasible non-dominated trial, not only those the capped models condition on, each
  // put on its model's scale by the same monotone map the model's own rows went through.
  const frontIndices = frontOf(obs, models);
  const scales = models.map((md, j) =>
    modelScale(
      Array.from(indices, (i) => obs.losses[j][i]),
      md.y,
    ),
  );
  const front = frontIndices.map((i) => scales.map((toY, j) => toY(obs.losses[j][i])));
  const ref = referencePoint(
    front,
    models.map((md) => Math.max(...md.y)),
    settings.referenceQuantile,
  );
  // Kriging believer: a pending (or just chosen) point is taken to land at its posterior means, joins the front, and its variance collapses.
  const fantasise = (params: Params): void => {
    const f = featuresOfParams(fs, params);
    front.push(models.map((md, j) => predict(md.post, f, scratch[j]).mean));
    models.forEach((md, j) => appendObservation(md.post, f, predict(md.post, f, scratch[j]).mean));
    if (violationModel) appendObservation(violationModel.post, f, predict(violationModel.post, f, predictScratch(violationModel.post)).mean);
  };
  for (const p of [...pending, ...chosen]) fantasise(p);
  const threshold = violationModel ? feasibilityThreshold(violationModel.y, violation) : 0;
  const out: Params[] = [];
  for (let k = 0; k < count; k++) {
    const scorer = new MultiScorer(
      fs,
      models.map((md) => md.post),
      boxDecomposition(front, ref),
      violationModel && { post: violationModel.post, threshold },
    );
    const incumbents = pickIncumbents(frontIndices, rng).map((i) => encodeParams(space, obs.params[i]));
    const params = maximizeScorer(fs, scorer, { candidates: settings.candidates, restarts: settings.localRestarts, incumbents, taken, rng });
    if (!params) break;
    taken.add(paramsKey(params));
    out.push(params);
    if (k + 1 < count) fantasise(params);
  }
  return out;
}

/** Up to {@link INCUMBENTS} front points drawn without replacement, so successive suggestions refine different parts of the front. */
function pickIncumbents(front: readonly number[], rng: SuggestInput['rng']): number[] {
  const pool = [...front];
  const out: number[] = [];
  while (out.length < INCUMBENTS && pool.length > 0) out.push(pool.splice(rng.int(pool.length), 1)[0]);
  return out;
}

/**
 * Where "feasible" lies on the violation model's standardised scale: halfway between the feasible
 * trials (all at violation 0, one standardised value) and the least-violating infeasible one.
 */
function feasibilityThreshold(y: Float64Array, violation: readonly number[]): number {
  let feasibleY = -Infinity;
  let infeasibleY = Infinity;
  violation.forEach((v, k) => {
    if (v <= 0) feasibleY = Math.max(feasibleY, y[k]);
    else infeasibleY = Math.min(infeasibleY, y[k]);
  });
  return (feasibleY + infeasibleY) / 2;
}

function violationSuggestions(
  input: SuggestInput<BayesSettings>,
  fs: FeatureSpace,
  model: Model,
  indices: Int32Array,
  obs: MultiObservations,
  chosen: Params[],
  count: number,
  taken: Set<string>,
): Params[] {
  const { space, pending, settings, rng } = input;
  const scratch = predictScratch(model.post);
  const fantasise = (params: Params): void => {
    const f = featuresOfParams(fs, params);
    appendObservation(model.post, f, predict(model.post, f, scratch).mean);
  };
  for (const p of [...pending, ...chosen]) fantasise(p);
  let best = Infinity;
  for (let k = 0; k < indices.length; k++) best = Math.min(best, model.y[k]);
  const ranked = Array.from(indices)
    .sort((a, b) => obs.violation[a] - obs.violation[b] || a - b)
    .slice(0, INCUMBENTS);
  const incumbents = ranked.map((i) => encodeParams(space, obs.params[i]));
  const out: Params[] = [];
  for (let k = 0; k < count; k++) {
    const params = maximizeAcquisition(
      fs,
      model.post,
      { kind: 'logEI', best, beta: settings.ucbBeta },
      { candidates: settings.candidates, restarts: settings.localRestarts, incumbents, taken, rng },
    );
    if (!params) break;
    taken.add(paramsKey(params));
    out.push(params);
    if (k + 1 < count) fantasise(params);
  }
  return out;
}
