import { FeatureSpace } from './features';
import { defaultStarts, fitHyperparameters } from './hyperparameter-fit';
import { gpData, Observations, OutputWarp, PriorMean, selectSubset } from './observations';

/** Below this many observations the hyperparameters are refitted for every new one. */
const EVERY_POINT_BELOW = 16;
/** Refits per doubling of the history above that. */
const FITS_PER_DOUBLING = 8;
/** Most fits kept in the memo. */
const CACHE_LIMIT = 512;

/**
 * The history size whose fit serves a history of `n` observations: `n` itself below 16, then a
 * lattice of 8 points per doubling (16, 18, …, 32, 36, …, 64, 72, …), so refits grow rarer as
 * each costs more.
 */
export function fitCheckpoint(n: number): number {
  if (n < EVERY_POINT_BELOW) return n;
  const step = 2 ** Math.max(0, Math.floor(Math.log2(n)) - Math.log2(FITS_PER_DOUBLING));
  return Math.floor(n / step) * step;
}

/** Whether a checkpoint is fitted from the default starts rather than warm-started: below 16 and at powers of two. */
export function isAnchor(m: number): boolean {
  return m < EVERY_POINT_BELOW || (m & (m - 1)) === 0;
}

/** Settings that change a fit, part of the memo key. */
export interface FitSettings {
  noiseFloor: number;
  maxFitPoints: number;
  outputWarp: OutputWarp;
  /** The shift of the data changes the marginal likelihood, so the fit depends on it too. */
  priorMean: PriorMean;
}

// A pure-function memo: every entry is what fitAt would compute again from the same inputs, so
// results are identical with or without it; it only saves the work.
const memo = new Map<string, Float64Array>();

function hashKey(parts: ArrayLike<number>[], extra: string): string {
  // FNV-1a over the 32-bit halves of every double.
  let h1 = 0x811c9dc5,
    h2 = 0x01000193;
  const f = new Float64Array(1);
  const w = new Uint32Array(f.buffer);
  for (const arr of parts) {
    for (let i = 0; i < arr.length; i++) {
      f[0] = arr[i];
      h1 = Math.imul(h1 ^ w[0], 0x01000193) >>> 0;
      h1 = Math.imul(h1 ^ w[1], 0x01000193) >>> 0;
      h2 = Math.imul(h2 ^ w[1], 0x85ebca6b) >>> 0;
      h2 = Math.imul(h2 ^ w[0], 0xc2b2ae35) >>> 0;
    }
  }
  return `${h1.toString(36)}:${h2.toString(36)}:${parts.map((p) => p.length).join(',')}:${extra}`;
}

function fitAt(fs: FeatureSpace, obs: Observations, m: number, s: FitSettings): Float64Array {
  // The key covers the whole prefix, not just the fitted subset, because the warm-start chain reads all of it.
  const key = hashKey([obs.X.subarray(0, m * fs.d), obs.values.subarray(0, m), fs.isCat], `${s.noiseFloor}:${s.maxFitPoints}:${s.outputWarp}:${s.priorMean}`);
  const cached = memo.get(key);
  if (cached) return cached;
  const indices = selectSubset(obs.values, m, s.maxFitPoints);
  const data = gpData(fs, obs, indices, s.outputWarp, s.priorMean);
  const anchor = isAnchor(m);
  // Warm start from the previous checkpoint's fit, itself derived from the first observations only.
  const starts = anchor ? defaultStarts(fs.d, s.noiseFloor) : [fitAt(fs, obs, fitCheckpoint(m - 1), s)];
  const { theta } = fitHyperparameters(data, { noiseFloor: s.noiseFloor, starts, maxIterations: anchor ? 60 : 15 });
  if (memo.size >= CACHE_LIMIT) memo.delete(memo.keys().next().value as string);
  memo.set(key, theta);
  return theta;
}

/**
 * Kernel log-hyperparameters for the observations, fitted on the first `fitCheckpoint(n)` of them.
 * A pure function of the observations and settings; a memo keyed by a hash of the fit's inputs
 * makes the usual case (one new observation since the last call) cheap.
 */
export function hyperparametersFor(fs: FeatureSpace, obs: Observations, s: FitSettings): Float64Array {
  return fitAt(fs, obs, fitCheckpoint(obs.n), s);
}

/** Empties the memo (for tests that compare results with and without it). */
export function clearFitMemo(): void {
  memo.clear();
}
