import { dominates } from './pareto';
import { hypervolume, hypervolumeContributions } from './hypervolume';

/** Floor of a reference coordinate and of a weight, Optuna's `EPS`. */
const EPS = 1e-12;

/**
 * A reference point just beyond the worst of `points` on every loss: 1.1 times the worst where it
 * is positive, 0.9 times where negative, and a tiny positive value where it is 0, so every point
 * is strictly inside and the worst ones still add a little volume (Optuna's `_get_reference_point`).
 */
export function nadirReference(points: readonly (readonly number[])[]): number[] {
  const m = points[0]?.length ?? 0;
  return Array.from({ length: m }, (_, k) => {
    const worst = Math.max(...points.map((p) => p[k]));
    const ref = Math.max(1.1 * worst, 0.9 * worst);
    return ref === 0 ? EPS : ref;
  });
}

/**
 * Greedy hypervolume subset selection: `size` of `points` (loss vectors) chosen one at a time,
 * each the one that adds the most hypervolume to those already chosen, ties to the lower index.
 * The greedy choice is within 1 − 1/e of the best subset (Guerreiro, Fonseca and Paquete, "Greedy
 * hypervolume subset selection in low dimensions", 2016), as Optuna's `_solve_hssp`. A point's gain
 * over a chosen set S is HV({p}) − HV({max(p, s) : s ∈ S}): the part of its box that the boxes of
 * S do not already cover, computed exactly. Gains only shrink as S grows (the hypervolume is
 * submodular), so a stale gain bounds the fresh one and only the leading candidate is recomputed
 * (lazy greedy): the same choices as recomputing every gain, at a fraction of the cost on a large
 * front. Returns indices into `points` in the order chosen.
 */
export function greedyHypervolumeSubset(points: readonly (readonly number[])[], size: number, reference: readonly number[]): number[] {
  const n = points.length;
  const target = Math.min(Math.max(0, size), n);
  const chosen: number[] = [];
  const alone = points.map((p) => hypervolume([p], reference));
  const bound = Float64Array.from(alone);
  // The size of S each bound was computed against; a bound is fresh when it equals chosen.length.
  const asOf = new Int32Array(n);
  const taken = new Uint8Array(n);
  const leader = (): number => {
    let best = -1;
    // Ties to the lower index: a fresh leader then beats every other candidate's fresh gain, as in the plain greedy.
    for (let j = 0; j < n; j++) if (!taken[j] && (best < 0 || bound[j] > bound[best])) best = j;
    return best;
  };
  while (chosen.length < target) {
    let j = leader();
    while (asOf[j] !== chosen.length) {
      const p = points[j];
      bound[j] =
        alone[j] -
        hypervolume(
          chosen.map((i) => points[i].map((v, k) => Math.max(v, p[k]))),
          reference,
        );
      asOf[j] = chosen.length;
      j = leader();
    }
    taken[j] = 1;
    chosen.push(j);
  }
  return chosen;
}

/**
 * MOTPE's weights for the good group (Ozaki et al. 2020, as Optuna's
 * `_calculate_weights_below_for_multi_objective`): each non-dominated member weighs its exclusive
 * hypervolume contribution against a reference just beyond the group's worst point, divided by the
 * largest contribution, so the member that holds the most volume on its own weighs 1; dominated
 * members, and members flagged infeasible, weigh `EPS`. With fewer than two feasible members every
 * feasible one weighs 1.
 */
export function contributionWeights(points: readonly (readonly number[])[], feasible: readonly boolean[]): Float64Array {
  const weights = Float64Array.from(feasible, (f) => (f ? 1 : EPS));
  const idx = points.map((_, i) => i).filter((i) => feasible[i]);
  if (idx.length <= 1) return weights;
  const front = idx.filter((i) => !idx.some((j) => j !== i && dominates(points[j], points[i])));
  const contributions = hypervolumeContributions(
    front.map((i) => points[i]),
    nadirReference(idx.map((i) => points[i])),
  );
  const top = Math.max(EPS, ...contributions);
  for (const i of idx) weights[i] = EPS;
  front.forEach((i, a) => (weights[i] = Math.max(contributions[a] / top, EPS)));
  return weights;
}
