import { createRng } from '../rng';
import { encodeValue } from '../space/unit-cube';
import { ImportanceInput, ImportanceResult, rankScores } from './importance.types';
import { FOREST_DEFAULTS, ForestOptions, growForest, LeafBox } from './regression-forest';

/** Seed of the forest when the caller gives none, so the same trials give the same importances. */
export const FANOVA_DEFAULT_SEED = 0;

const volume = (leaf: LeafBox): number => leaf.lo.reduce((v, lo, i) => v * (leaf.hi[i] - lo), 1);

/**
 * The share of one tree's variance (over the uniform measure of the unit cube) explained by the
 * main effect of each dimension. The marginal of dimension `i` at a point is the sum, over the
 * leaves whose box spans it, of value × the leaf's volume in the other dimensions; a sweep over the
 * leaves' edges on that dimension gets it on every interval in O(L log L).
 */
function treeShares(leaves: LeafBox[], d: number): number[] | undefined {
  const vols = leaves.map(volume);
  const mean = leaves.reduce((s, l, k) => s + vols[k] * l.value, 0);
  const variance = leaves.reduce((s, l, k) => s + vols[k] * (l.value - mean) ** 2, 0);
  if (!(variance > 1e-12)) return undefined;
  const shares: number[] = [];
  for (let i = 0; i < d; i++) {
    const events: [number, number][] = [];
    leaves.forEach((l, k) => {
      const width = l.hi[i] - l.lo[i];
      if (width <= 0) return;
      const weight = (l.value * vols[k]) / width;
      events.push([l.lo[i], weight], [l.hi[i], -weight]);
    });
    events.sort((a, b) => a[0] - b[0]);
    let marginal = 0,
      at = 0,
      vi = 0;
    for (const [edge, delta] of events) {
      if (edge > at) vi += (edge - at) * (marginal - mean) ** 2;
      at = Math.max(at, edge);
      marginal += delta;
    }
    shares.push(vi / variance);
  }
  return shares;
}

/**
 * fANOVA (Hutter, Hoos and Leyton-Brown, ICML 2014; Optuna's `FanovaImportanceEvaluator`): a
 * random forest is fitted to the objective over the unit-cube encoding, and each parameter's
 * importance is the share of the forest's variance its main effect explains, averaged over the
 * trees. An inactive conditional parameter is given a random coordinate, so it carries no
 * information where it does not apply and its parent keeps the credit for switching it off.
 */
export function fanovaImportance(input: ImportanceInput, seed = FANOVA_DEFAULT_SEED, options: ForestOptions = FOREST_DEFAULTS): ImportanceResult {
  const trials = input.trials.filter((t) => Number.isFinite(t.value));
  const names = Object.keys(input.space);
  if (trials.length < 2 || names.length === 0)
    return rankScores(
      'fanova',
      input.space,
      trials,
      names.map(() => 0),
    );
  const rng = createRng(seed, 1);
  const x = trials.map((t) => Float64Array.from(names, (n) => (t.params[n] === undefined ? rng.next() : encodeValue(input.space[n], t.params[n]))));
  const y = Float64Array.from(trials, (t) => t.value);
  const sums = new Float64Array(names.length);
  let counted = 0;
  for (const tree of growForest(x, y, rng, options)) {
    const shares = treeShares(tree, names.length);
    if (!shares) continue;
    shares.forEach((s, i) => (sums[i] += s));
    counted++;
  }
  return rankScores(
    'fanova',
    input.space,
    trials,
    Array.from(sums, (s) => (counted ? s / counted : 0)),
  );
}
