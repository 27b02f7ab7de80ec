import { levelCount, encodeValue } from '../space/unit-cube';
import { ParamSpec } from '../space/space.types';
import { ImportanceInput, ImportanceResult, rankScores, ScoredTrial } from './importance.types';

/** Share of the best trials whose distribution is compared with that of all trials (PED-ANOVA's γ). */
export const PED_ANOVA_TOP_QUANTILE = 0.1;

/** Grid points on which a continuous parameter's densities are compared. */
export const PED_ANOVA_GRID_POINTS = 64;

/** Fewer trials than this with a parameter active, and that parameter's importance is 0 (nothing to compare). */
export const PED_ANOVA_MIN_TRIALS = 4;

/** The best `ceil(γ n)` trials (at least 2) of `trials`, by value in `direction`. */
function topTrials(trials: readonly ScoredTrial[], minimize: boolean): ScoredTrial[] {
  const sorted = [...trials].sort((a, b) => (minimize ? a.value - b.value : b.value - a.value));
  return sorted.slice(0, Math.max(2, Math.ceil(PED_ANOVA_TOP_QUANTILE * trials.length)));
}

/**
 * A density over the grid (or the levels) of one parameter from encoded points: a histogram for
 * discrete parameters, a Gaussian kernel estimate (Scott's bandwidth) for continuous ones. One
 * pseudo-observation spread uniformly keeps every cell positive, as Optuna's Parzen prior does.
 */
function density(points: readonly number[], cells: number, continuous: boolean): Float64Array {
  const p = new Float64Array(cells).fill(1 / cells);
  if (!continuous) {
    for (const u of points) p[Math.min(cells - 1, Math.floor(u * cells))] += 1;
  } else {
    const n = points.length;
    const mean = points.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(points.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, n - 1));
    const h = Math.max(1.06 * (sd > 0 ? sd : 0.5) * n ** -0.2, 0.5 / cells);
    const kernel = new Float64Array(cells);
    for (const u of points) {
      let sum = 0;
      for (let g = 0; g < cells; g++) sum += kernel[g] = Math.exp(-0.5 * (((g + 0.5) / cells - u) / h) ** 2);
      if (sum > 0) for (let g = 0; g < cells; g++) p[g] += kernel[g] / sum;
    }
  }
  const total = p.reduce((a, b) => a + b, 0);
  for (let g = 0; g < cells; g++) p[g] /= total;
  return p;
}

/** Pearson divergence of `top` from `all`: Σ all·(top/all − 1)². */
function pearson(top: Float64Array, all: Float64Array): number {
  let d = 0;
  for (let g = 0; g < all.length; g++) d += all[g] * (top[g] / all[g] - 1) ** 2;
  return d;
}

/** One parameter's raw PED-ANOVA score over the trials where it is active, weighted by how often it is. */
function score(name: string, spec: ParamSpec, trials: readonly ScoredTrial[], minimize: boolean): number {
  const active = trials.filter((t) => t.params[name] !== undefined);
  if (active.length < PED_ANOVA_MIN_TRIALS) return 0;
  const levels = levelCount(spec);
  const continuous = levels > PED_ANOVA_GRID_POINTS;
  const cells = continuous ? PED_ANOVA_GRID_POINTS : levels;
  const encode = (t: ScoredTrial) => encodeValue(spec, t.params[name]);
  const all = density(active.map(encode), cells, continuous);
  const top = density(topTrials(active, minimize).map(encode), cells, continuous);
  return pearson(top, all) * (active.length / trials.length);
}

/**
 * PED-ANOVA (Watanabe et al., IJCAI 2023; Optuna's `PedAnovaImportanceEvaluator`): a parameter
 * matters as much as the distribution of its values among the best trials departs from its
 * distribution among all trials (the Pearson divergence of the two densities). Linear in the
 * trials. A conditional parameter is judged among the trials where it is active (its own top
 * quantile there), and its score is scaled by the share of trials where it is, so a child does
 * not take credit for its parent's effect.
 */
export function pedAnovaImportance(input: ImportanceInput): ImportanceResult {
  const trials = input.trials.filter((t) => Number.isFinite(t.value));
  const minimize = input.direction === 'minimize';
  const raw = Object.entries(input.space).map(([name, spec]) => score(name, spec, trials, minimize));
  return rankScores('ped-anova', input.space, trials, raw);
}
