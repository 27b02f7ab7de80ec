import { Rng } from '../../rng';
import { Params, SearchSpace } from '../../space/space.types';
import { decodeParams } from '../../space/unit-cube';
import { paramsKey } from '../grid.sampler';
import { readSettings } from '../settings-reader';
import { Sampler, SAMPLER_SETTINGS_PATH, SuggestInput } from '../sampler.types';
import { buildParzenEstimator, logPdfParzen, ParzenOptions, sampleParzen } from './parzen-estimator';
import { finishedCount, rankedTrials, RankedTrial, splitTrials, TrialSplit } from './tpe-observations';
import { encodeForTpe, groupDecomposition, intersection, TpeDimension, tpeDimensions, toUnitCube } from './tpe-space';
import { defaultGamma, defaultWeights, TPE_RULES, TpeSettings } from './tpe.settings';

/** A set of parameter indices modelled by one estimator pair, jointly when `joint`. */
export interface ModelGroup {
  indices: number[];
  joint: boolean;
}

/**
 * The estimator groups for the finished trials' active parameters. Multivariate with `group`:
 * the co-occurrence groups. Multivariate without: one joint group of the parameters active in
 * every trial, the others alone. Univariate: every parameter alone. Parameters never active so
 * far are in no group and are drawn from the prior.
 */
export function modelGroups(active: readonly Uint8Array[], d: number, settings: TpeSettings): ModelGroup[] {
  if (settings.multivariate && settings.group) return groupDecomposition(active, d).map((indices) => ({ indices, joint: true }));
  const seen = Array.from({ length: d }, (_, j) => j).filter((j) => active.some((m) => m[j]));
  if (!settings.multivariate) return seen.map((j) => ({ indices: [j], joint: false }));
  const common = intersection(active, d);
  const rest = seen.filter((j) => !common.includes(j)).map((j) => ({ indices: [j], joint: false }));
  return [...(common.length ? [{ indices: common, joint: true }] : []), ...rest];
}

/** Everything one suggestion needs, fixed across the suggestions of one call. */
interface Context {
  space: SearchSpace;
  dims: TpeDimension[];
  settings: TpeSettings;
  rng: Rng;
}

/**
 * Samples one group's coordinates: good and bad estimators from the group's observations, then
 * `nEiCandidates` draws from the good one, keeping the best log l(x) − log g(x) (the TPE form of
 * expected improvement). Draws whose whole point would repeat a taken one are passed over while
 * another draw is left, which only matters in discrete spaces.
 */
function sampleGroup(ctx: Context, group: ModelGroup, coded: Float64Array[], split: TrialSplit, point: Float64Array, taken: Set<string>): void {
  const dims = group.indices.map((j) => ctx.dims[j]);
  // A group's parameters are active together in finished trials; a pending trial on another branch lacks them.
  const present = (i: number): boolean => group.indices.every((j) => !Number.isNaN(coded[i][j]));
  const rows = (idx: number[]): Float64Array[] => idx.filter(present).map((i) => Float64Array.from(group.indices, (j) => coded[i][j]));
  // A parameter modelled alone always takes the neighbour rule, as Optuna's univariate TPE.
  const bandwidth = group.joint ? ctx.settings.bandwidth : 'neighbour';
  const opts: ParzenOptions = { priorWeight: ctx.settings.priorWeight, bandwidth, magicClip: ctx.settings.magicClip };
  const good = rows(split.below);
  const bad = rows(split.above);
  // MOTPE weighs the good group by hypervolume contribution (of the members that have the group's parameters), not by age.
  const goodWeights = split.belowWeights ? split.belowWeights.filter((_, k) => present(split.below[k])) : defaultWeights(good.length);
  const l = buildParzenEstimator(dims, good, goodWeights, opts);
  const g = buildParzenEstimator(dims, bad, defaultWeights(bad.length), opts);
  let best: { score: number; x: Float64Array; fresh: boolean } | undefined;
  for (let k = 0; k < ctx.settings.nEiCandidates; k++) {
    const x = sampleParzen(l, ctx.rng);
    const score = logPdfParzen(l, x) - logPdfParzen(g, x);
    const trial = Float64Array.from(point);
    group.indices.forEach((j, t) => (trial[j] = x[t]));
    const fresh = !taken.has(paramsKey(decodeParams(ctx.space, toUnitCube(ctx.dims, trial))));
    if (!best || (fresh && !best.fresh) || (fresh === best.fresh && score > best.score)) best = { score, x, fresh };
  }
  if (best) group.indices.forEach((j, t) => (point[j] = best!.x[t]));
}

/** One model-based suggestion from ranked trials (pending lies included). */
function suggestOne(ctx: Context, trials: RankedTrial[], taken: Set<string>): Params {
  const d = ctx.dims.length;
  const coded = trials.map((t) => encodeForTpe(ctx.space, ctx.dims, t.params));
  const n = finishedCount(trials);
  const split = splitTrials(trials, defaultGamma(n));
  // Groups come from finished trials, as Optuna's come from complete and pruned ones.
  const active = coded.filter((_, i) => trials[i].tier !== Infinity).map((c) => Uint8Array.from(c, (v) => (Number.isNaN(v) ? 0 : 1)));
  const point = new Float64Array(d);
  // Coordinates outside every group (never active yet) are drawn uniformly, like the start-up trials.
  for (let j = 0; j < d; j++) point[j] = ctx.dims[j].kind === 'categorical' ? ctx.rng.int(ctx.dims[j].levels) : ctx.rng.next();
  for (const group of modelGroups(active, d, ctx.settings)) sampleGroup(ctx, group, coded, split, point, taken);
  return decodeParams(ctx.space, toUnitCube(ctx.dims, point));
}

function uniformPoint(space: SearchSpace, rng: Rng): Params {
  const d = Object.keys(space).length;
  const u = new Float64Array(d);
  for (let j = 0; j < d; j++) u[j] = rng.next();
  return decodeParams(space, u);
}

function suggestTpe(input: SuggestInput<TpeSettings>): Params[] {
  const { space, history, pending, direction, objectives, count, rng, settings } = input;
  const ctx: Context = { space, dims: tpeDimensions(space), settings, rng };
  const taken = new Set<string>([...history.map((t) => paramsKey(t.params)), ...pending.map(paramsKey)]);
  const trials = rankedTrials(history, pending, direction, settings.constantLiar, objectives);
  const out: Params[] = [];
  for (let k = 0; k < count; k++) {
    const params = finishedCount(trials) < settings.nStartupTrials ? uniformPoint(space, rng) : suggestOne(ctx, trials, taken);
    out.push(params);
    taken.add(paramsKey(params));
    // Within one call, each suggestion is in flight for the next: the constant liar spreads a batch.
    if (settings.constantLiar) trials.push({ params, tier: Infinity, value: Infinity });
  }
  return out;
}

/**
 * Tree-structured Parzen Estimators, as Optuna's TPESampler with `multivariate`, `group` and
 * `constant_liar` on: the finished trials are split into the best gamma(n) = min(⌈n/10⌉, 25)
 * and the rest, a Parzen estimator (truncated-Gaussian kernels in the unit cube, categorical
 * kernels for categories, a prior component of weight 1) is fitted to each group, and of 24 draws
 * from the good density the one with the highest density ratio is suggested. The first 10
 * finished trials are uniform random. With several objectives it is MOTPE: the good group is the
 * first constrained non-dominated fronts, completed by hypervolume subset selection, and weighted
 * by hypervolume contribution. Pure: randomness only from `input.rng`.
 */
export const tpeSampler: Sampler<TpeSettings> = {
  name: 'tpe',
  summary: 'Tree-structured Parzen Estimators (Optuna-style: multivariate, grouped conditional parameters, constant liar for parallel trials).',
  multiObjective: true,
  settingRules: TPE_RULES,
  validateSettings: (settings) => readSettings<TpeSettings>(TPE_RULES, settings, SAMPLER_SETTINGS_PATH),
  suggest: suggestTpe,
};
