import { levelCount, encodeValue } from '../space/unit-cube';
import { ParamSpec } from '../space/space.types';
import { ImportanceInput, ImportanceResult, rankScores, ScoredTrial } from './importance.types';

/** Share of the best trials whose distribution is compared with that of all trials (PED-ANOVA's γ). */
export const PED_ANOVA_TOP_QUANTILE = 0.1;

/** Grid points on which a continuous parameter's densities are compared. */
export const PED_ANOVA_GRID_POINTS = 64;

/** Fewer trials than this with a parameter active, and that parameter's importance is 0 (nothing to compare). */
export const PED_ANOVA_MIN_TRIALS = 4;

/** The best `ceil(γ n)` trials (at least 2) of `ranked`, which is in order, best first. */
function topTrials(ranked: readonly ScoredTrial[]): readonly ScoredTrial[] {
  return ranked.slice(0, Math.max(2, Math.ceil(PED_ANOVA_TOP_QUANTILE * ranked.length)));
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
      gaussianOnGrid(kernel, u, h);
      let sum = 0;
      for (let g = 0; g < cells; g++) sum += kernel[g];
      if (sum > 0) for (let g = 0; g < cells; g++) p[g] += kernel[g] / sum;
    }
  }
  const total = p.reduce((a, b) => a + b, 0);
  for (let g = 0; g < cells; g++) p[g] /= total;
  return p;
}

/**
 * `exp(-½ ((c_g − u) / h)²)` at every cell centre `c_g = (g + ½) / cells`, with three `exp` calls
 * instead of one per cell (the cost of PED-ANOVA at 100,000 trials): from the cell nearest `u`,
 * each neighbour is the previous value times a ratio, and each ratio the previous one times the
 * constant `exp(−δ²)`, δ being the cell width over `h`. Going outward the values only shrink, so a
 * value that underflows to 0 is 0 indeed; the products drift from the direct formula by a few ulps.
 */
export function gaussianOnGrid(out: Float64Array, u: number, h: number): void {
  const cells = out.length;
  const delta = 1 / cells / h;
  const step = Math.exp(-delta * delta);
  const m = Math.min(cells - 1, Math.max(0, Math.floor(u * cells)));
  const d = ((m + 0.5) / cells - u) / h;
  out[m] = Math.exp(-0.5 * d * d);
  // k[g+1] / k[g] = exp(−½δ² − δ d_g) and k[g−1] / k[g] = exp(−½δ² + δ d_g), d_g moving by δ per cell.
  let up = Math.exp(-0.5 * delta * delta - delta * d);
  for (let g = m; g < cells - 1; g++) {
    out[g + 1] = out[g] * up;
    up *= step;
  }
  let down = Math.exp(-0.5 * delta * delta + delta * d);
  for (let g = m; g > 0; g--) {
    out[g - 1] = out[g] * down;
    down *= step;
  }
}

/** Pearson divergence of `top` from `all`: Σ all·(top/all − 1)². */
function pearson(top: Float64Array, all: Float64Array): number {
  let d = 0;
  for (let g = 0; g < all.length; g++) d += all[g] * (top[g] / all[g] - 1) ** 2;
  return d;
}

/**
 * One parameter's raw PED-ANOVA score over the trials where it is active, weighted by how often it
 * is. `ranked` is every trial, best first: the active ones keep that order, so they need no sort of their own.
 */
function score(name: string, spec: ParamSpec, ranked: readonly ScoredTrial[]): number {
  const active = ranked.filter((t) => t.params[name] !== undefined);
  if (active.length < PED_ANOVA_MIN_TRIALS) return 0;
  const levels = levelCount(spec);
  const continuous = levels > PED_ANOVA_GRID_POINTS;
  const cells = continuous ? PED_ANOVA_GRID_POINTS : levels;
  const encode = (t: ScoredTrial) => encodeValue(spec, t.params[name]);
  const all = density(active.map(encode), cells, continuous);
  const top = density(topTrials(active).map(encode), cells, continuous);
  return pearson(top, all) * (active.length / ranked.length);
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
  // One stable sort for every parameter: the trials where a parameter is active, filtered from it, are in the order a sort of their own would give.
  const ranked = [...trials].sort((a, b) => (minimize ? a.value - b.value : b.value - a.value));
  const raw = Object.entries(input.space).map(([name, spec]) => score(name, spec, ranked));
  return rankScores('ped-anova', input.space, trials, raw);
}
