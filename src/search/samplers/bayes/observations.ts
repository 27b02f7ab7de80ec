import { Direction, HistoryTrial } from '../../history.types';
import { normInv } from '../../numeric/normal';
import { Params } from '../../space/space.types';
import { FeatureSpace, featuresOfParams } from './features';
import { GpData } from './marginal-likelihood';

/** The usable results of a history: COMPLETE trials with a value, as features and values to minimise. */
export interface Observations {
  /** Row-major `n × d` features, in history order. */
  X: Float64Array;
  /** Objective values turned into minimisation (maximise → negated), non-finite ones clipped. */
  values: Float64Array;
  params: Params[];
  n: number;
}

/**
 * Collects COMPLETE trials with a value. Failed and pruned trials are left out. Non-finite values
 * are clipped to the finite range (NaN counts as the worst), so one bad report cannot wreck the model.
 */
export function collectObservations(fs: FeatureSpace, history: readonly HistoryTrial[], direction: Direction): Observations {
  const kept = history.filter((t) => t.state === 'COMPLETE' && typeof t.value === 'number');
  const n = kept.length;
  const X = new Float64Array(n * fs.d);
  const values = new Float64Array(n);
  const sign = direction === 'maximize' ? -1 : 1;
  let lo = Infinity,
    hi = -Infinity;
  kept.forEach((t, i) => {
    featuresOfParams(fs, t.params, X.subarray(i * fs.d, (i + 1) * fs.d));
    const v = sign * (t.value as number);
    values[i] = v;
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  });
  if (lo > hi) lo = hi = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) values[i] = v === -Infinity ? lo : hi;
  }
  return { X, values, params: kept.map((t) => t.params), n };
}

/**
 * Indices of at most `cap` of the first `n` observations: all when they fit, otherwise the best
 * half by value and the most recent of the rest (where the search is working now). Sorted ascending.
 */
export function selectSubset(values: ArrayLike<number>, n: number, cap: number): Int32Array {
  if (n <= cap) return Int32Array.from({ length: n }, (_, i) => i);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b] || a - b);
  const chosen = new Uint8Array(n);
  const bestCount = Math.floor(cap / 2);
  for (let k = 0; k < bestCount; k++) chosen[order[k]] = 1;
  let left = cap - bestCount;
  for (let i = n - 1; i >= 0 && left > 0; i--) {
    if (!chosen[i]) {
      chosen[i] = 1;
      left--;
    }
  }
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (chosen[i]) out.push(i);
  return Int32Array.from(out);
}

/**
 * A monotone warp that tames heavy upper tails before standardising: values above the median are
 * compressed logarithmically once they are far above it, so a few huge losses (Rosenbrock-like
 * objectives, diverged trainings) do not flatten the model where the good points are.
 */
export function warpValues(values: ArrayLike<number>): Float64Array {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const out = Float64Array.from(values);
  if (n < 3) return out;
  const median = sorted[Math.floor((n - 1) / 2)];
  const scale = median - sorted[0];
  if (!(scale > 0)) return out;
  for (let i = 0; i < n; i++) {
    const excess = out[i] - median;
    if (excess > 0) out[i] = median + scale * Math.log1p(excess / scale);
  }
  return out;
}

/**
 * Normal scores of the ranks (a Gaussian copula): the GP then models the order of results, not
 * their scale, so a flat landscape with a few slightly better points still shows where to go.
 * Ties share the mean rank.
 */
export function rankWarp(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const out = new Float64Array(n);
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && values[order[j + 1]] === values[order[i]]) j++;
    const z = normInv(((i + j) / 2 + 0.5) / n);
    for (let k = i; k <= j; k++) out[order[k]] = z;
    i = j + 1;
  }
  return out;
}

/** How observed values are transformed before standardising. */
export type OutputWarp = 'none' | 'log-tail' | 'rank';

/**
 * Where the GP's constant prior mean sits, which is what it predicts far from every observation.
 * `average`: the mean of the (warped, standardised) results. `worst`: the worst of them. With
 * `average`, a stationary GP predicts every unexplored corner of the box to be an average result
 * with the full prior variance; on landscapes where most of the box is a plateau of poor values
 * around a narrow basin (Ackley), the average lies well below that plateau, so expected
 * improvement kept sending late trials to the box's corners and edges instead of into the basin
 * (bench/search; docs/BENCHMARKS.md). With `worst`, a region earns a trial by its variance
 * alone only where the model is really unsure, and the log-tail warp keeps "worst" from being an
 * extreme outlier.
 */
export type PriorMean = 'worst' | 'average';

/** GP training data from a subset of observations: warped, standardised to mean 0, sd 1, then shifted so the prior mean 0 is where `priorMean` puts it. */
export function gpData(fs: FeatureSpace, obs: Observations, indices: ArrayLike<number>, warp: OutputWarp, priorMean: PriorMean = 'average'): GpData {
  const n = indices.length;
  const d = fs.d;
  const X = new Float64Array(n * d);
  const raw = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = indices[k];
    X.set(obs.X.subarray(i * d, (i + 1) * d), k * d);
    raw[k] = obs.values[i];
  }
  const y = warp === 'log-tail' ? warpValues(raw) : warp === 'rank' ? rankWarp(raw) : raw;
  let mean = 0;
  for (let k = 0; k < n; k++) mean += y[k];
  mean /= Math.max(n, 1);
  let ss = 0;
  for (let k = 0; k < n; k++) ss += (y[k] - mean) ** 2;
  const sd = n > 1 && ss > 0 ? Math.sqrt(ss / n) : 1;
  for (let k = 0; k < n; k++) y[k] = (y[k] - mean) / sd;
  if (priorMean === 'worst' && n > 1) {
    // The GP's prior mean is 0; shifting the data so that 0 is the worst result makes an
    // unexplored region "as bad as the worst seen" rather than "average". See PriorMean.
    let worst = -Infinity;
    for (let k = 0; k < n; k++) worst = Math.max(worst, y[k]);
    for (let k = 0; k < n; k++) y[k] -= worst;
  }
  return { X, y, n, d, isCat: fs.isCat };
}
