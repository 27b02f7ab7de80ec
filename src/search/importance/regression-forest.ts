import { Rng } from '../rng';

/** How a forest is grown; the defaults are named in `FOREST_DEFAULTS`. */
export interface ForestOptions {
  trees: number;
  maxDepth: number;
  minLeaf: number;
  /** Rows drawn (with replacement) for each tree: at most this many. */
  maxSamples: number;
}

/** Forest settings that fit 10k trials in well under a second here; fANOVA needs the partition, not sharp predictions. */
export const FOREST_DEFAULTS: ForestOptions = { trees: 32, maxDepth: 12, minLeaf: 3, maxSamples: 2000 };

/** One leaf of a regression tree: the box of the unit cube it covers and the mean it predicts there. */
export interface LeafBox {
  lo: Float64Array;
  hi: Float64Array;
  value: number;
}

/** The best split of a set of rows on one feature: the threshold and the summed squared error it leaves. */
function bestSplit(rows: number[], x: Float64Array[], y: Float64Array, f: number, minLeaf: number): { threshold: number; sse: number } | undefined {
  const order = [...rows].sort((a, b) => x[a][f] - x[b][f]);
  const n = order.length;
  let total = 0,
    totalSq = 0;
  for (const r of order) {
    total += y[r];
    totalSq += y[r] * y[r];
  }
  let left = 0,
    leftSq = 0,
    best: { threshold: number; sse: number } | undefined;
  for (let i = 0; i < n - 1; i++) {
    const v = y[order[i]];
    left += v;
    leftSq += v * v;
    const k = i + 1;
    if (k < minLeaf || n - k < minLeaf) continue;
    const a = x[order[i]][f],
      b = x[order[i + 1]][f];
    if (a === b) continue;
    const right = total - left;
    const sse = leftSq - (left * left) / k + (totalSq - leftSq) - (right * right) / (n - k);
    if (!best || sse < best.sse) best = { threshold: (a + b) / 2, sse };
  }
  return best;
}

/** Grows one tree on `rows` and appends its leaves (with their boxes) to `leaves`. */
function grow(
  rows: number[],
  x: Float64Array[],
  y: Float64Array,
  lo: Float64Array,
  hi: Float64Array,
  depth: number,
  o: ForestOptions,
  leaves: LeafBox[],
): void {
  const mean = rows.reduce((s, r) => s + y[r], 0) / rows.length;
  let split: { f: number; threshold: number; sse: number } | undefined;
  if (depth < o.maxDepth && rows.length >= 2 * o.minLeaf) {
    for (let f = 0; f < lo.length; f++) {
      const s = bestSplit(rows, x, y, f, o.minLeaf);
      if (s && (!split || s.sse < split.sse)) split = { f, ...s };
    }
  }
  if (!split) {
    leaves.push({ lo, hi, value: mean });
    return;
  }
  const { f, threshold } = split;
  const leftHi = Float64Array.from(hi);
  leftHi[f] = threshold;
  const rightLo = Float64Array.from(lo);
  rightLo[f] = threshold;
  grow(
    rows.filter((r) => x[r][f] <= threshold),
    x,
    y,
    lo,
    leftHi,
    depth + 1,
    o,
    leaves,
  );
  grow(
    rows.filter((r) => x[r][f] > threshold),
    x,
    y,
    rightLo,
    hi,
    depth + 1,
    o,
    leaves,
  );
}

/**
 * A random forest of regression trees over points of the unit cube (bootstrap rows, every feature
 * tried at each split, as scikit-learn's regressor does by default), returned as each tree's leaf
 * boxes: what fANOVA integrates over.
 */
export function growForest(x: Float64Array[], y: Float64Array, rng: Rng, options: ForestOptions = FOREST_DEFAULTS): LeafBox[][] {
  const d = x[0]?.length ?? 0;
  const size = Math.min(x.length, options.maxSamples);
  const forest: LeafBox[][] = [];
  for (let t = 0; t < options.trees; t++) {
    const rows = Array.from({ length: size }, () => rng.int(x.length));
    const leaves: LeafBox[] = [];
    grow(rows, x, y, new Float64Array(d).fill(0), new Float64Array(d).fill(1), 0, options, leaves);
    forest.push(leaves);
  }
  return forest;
}
