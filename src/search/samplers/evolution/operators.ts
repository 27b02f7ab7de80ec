import { Rng } from '../../rng';
import { DimensionKind, decodeValue, encodeValue } from '../../space/unit-cube';
import { ParamSpec } from '../../space/space.types';

/** One gene: a coordinate of the unit-cube encoding with what its type allows. */
export interface Gene {
  kind: DimensionKind;
  spec: ParamSpec;
  /** Distinct values (Infinity for a plain float). */
  levels: number;
}

const clip01 = (u: number): number => (u < 0 ? 0 : u > 1 ? 1 : u);

/** Folds a value back into [0, 1] by reflection at the walls, so boundary regions are not over-sampled as clipping would. */
export function reflect01(u: number): number {
  let v = Math.abs(u) % 2;
  if (v > 1) v = 2 - v;
  return v;
}

/**
 * Bounded simulated binary crossover (Deb & Agrawal) of two genes in [0, 1]: one of the two
 * children, chosen at random. Identical parents give back the parent.
 */
export function sbx(a: number, b: number, eta: number, rng: Rng): number {
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  const gap = hi - lo;
  if (gap < 1e-14) return a;
  const u = rng.next();
  const spread = (beta: number): number => {
    const alpha = 2 - beta ** -(eta + 1);
    return u <= 1 / alpha ? (u * alpha) ** (1 / (eta + 1)) : (1 / (2 - u * alpha)) ** (1 / (eta + 1));
  };
  const c1 = 0.5 * (lo + hi - spread(1 + (2 * lo) / gap) * gap);
  const c2 = 0.5 * (lo + hi + spread(1 + (2 * (1 - hi)) / gap) * gap);
  return clip01(rng.next() < 0.5 ? c1 : c2);
}

/**
 * A child of two parents in the unit cube. Continuous genes are blended by SBX with probability
 * 1/2 (Deb's per-variable rate) and otherwise inherited; integer, step and categorical genes are
 * inherited from either parent (uniform crossover), so a child never holds a value between
 * categories. A gene inactive (NaN) in one parent comes from the other; inactive in both, it is
 * drawn uniformly, which keeps it neutral until a mutation of its parent activates it.
 */
export function crossover(genes: readonly Gene[], a: ArrayLike<number>, b: ArrayLike<number>, eta: number, rng: Rng): Float64Array {
  const child = new Float64Array(genes.length);
  genes.forEach((gene, i) => {
    const x = a[i];
    const y = b[i];
    if (Number.isNaN(x) || Number.isNaN(y)) {
      child[i] = Number.isNaN(x) ? (Number.isNaN(y) ? rng.next() : y) : x;
    } else if (gene.kind === 'continuous' && rng.next() < 0.5) {
      child[i] = sbx(x, y, eta, rng);
    } else {
      child[i] = rng.next() < 0.5 ? x : y;
    }
  });
  return child;
}

/** Moves an integer or step gene by a nonzero number of steps, about `scale` of its range, reflected at the ends. */
function stepMutation(gene: Gene, u: number, scale: number, rng: Rng): number {
  const spec = gene.spec as Exclude<ParamSpec, { type: 'categorical' }>;
  if (gene.levels <= 1) return u;
  const step = spec.step ?? 1;
  const index = Math.round((Number(decodeValue(spec, u)) - spec.low) / step);
  const jump = Math.max(1, Math.round(Math.abs(rng.normal()) * scale * (gene.levels - 1)));
  const last = gene.levels - 1;
  let next = index + (rng.next() < 0.5 ? -jump : jump);
  // Reflect in index space: an off-range jump lands as far inside as it overshot.
  next = Math.abs(next) % (2 * last);
  if (next > last) next = 2 * last - next;
  if (next === index) next = index === last ? index - 1 : index + 1;
  return encodeValue(spec, spec.low + next * step);
}

/** Draws a category other than the current one. */
function categoricalMutation(gene: Gene, u: number, rng: Rng): number {
  if (gene.levels <= 1) return u;
  const current = Math.min(Math.floor(u * gene.levels), gene.levels - 1);
  const other = (current + 1 + rng.int(gene.levels - 1)) % gene.levels;
  return (other + 0.5) / gene.levels;
}

/** Mutates one gene so that it changes (where it can): Gaussian for continuous, steps for discrete, resampling for categorical. */
export function mutateGene(gene: Gene, u: number, scale: number, rng: Rng): number {
  if (gene.kind === 'categorical') return categoricalMutation(gene, u, rng);
  if (gene.kind === 'discrete') return stepMutation(gene, u, scale, rng);
  return reflect01(u + scale * rng.normal());
}

/** Mutates each gene independently with probability `rate`; returns a new point. */
export function mutate(genes: readonly Gene[], point: ArrayLike<number>, rate: number, scale: number, rng: Rng): Float64Array {
  const out = Float64Array.from(point);
  genes.forEach((gene, i) => {
    if (rng.next() < rate) out[i] = mutateGene(gene, out[i], scale, rng);
  });
  return out;
}
