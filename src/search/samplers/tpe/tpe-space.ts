import { Params, SearchSpace } from '../../space/space.types';
import { encodeValue, levelCount } from '../../space/unit-cube';

/**
 * How TPE models one parameter, in the unit cube of src/search/space/unit-cube.ts:
 * - `continuous`: a kernel density on [0, 1] (plain and log floats, and log-scaled integers and
 *   steps, which Optuna also models on the continuous log scale and rounds);
 * - `cells`: a linear integer or step parameter with `levels` values. The shared transform gives
 *   every value an equal cell [k/L, (k+1)/L], so a kernel's probability of a value is its mass
 *   over that cell (Optuna's `q` handling, with its half-step padding built into the cube);
 * - `categorical`: a categorical kernel over `levels` categories (no order).
 */
export interface TpeDimension {
  name: string;
  kind: 'continuous' | 'cells' | 'categorical';
  levels: number;
}

/** The dimensions of a space, in declaration order (the unit cube's coordinate order). */
export function tpeDimensions(space: SearchSpace): TpeDimension[] {
  return Object.entries(space).map(([name, spec]) => {
    if (spec.type === 'categorical') return { name, kind: 'categorical', levels: spec.values.length };
    const levels = levelCount(spec);
    return { name, kind: levels === Infinity || spec.log ? 'continuous' : 'cells', levels };
  });
}

/**
 * A trial's parameters as model coordinates: the unit-cube coordinate for numeric parameters,
 * the category index for categorical ones, NaN where the parameter is absent (inactive) or its
 * stored value is no longer a category of the space (an edited space must not crash a resume).
 */
export function encodeForTpe(space: SearchSpace, dims: readonly TpeDimension[], params: Params): Float64Array {
  const out = new Float64Array(dims.length);
  dims.forEach((dim, j) => {
    const value = params[dim.name];
    const spec = space[dim.name];
    if (value === undefined) out[j] = NaN;
    else if (spec.type === 'categorical') {
      const index = spec.values.findIndex((v) => v === value);
      out[j] = index >= 0 ? index : NaN;
    } else out[j] = typeof value === 'number' && Number.isFinite(value) ? encodeValue(spec, value) : NaN;
  });
  return out;
}

/** Model coordinates back to a unit-cube point for `decodeParams`: category indices become their cell centres. */
export function toUnitCube(dims: readonly TpeDimension[], coords: ArrayLike<number>): Float64Array {
  const u = new Float64Array(dims.length);
  dims.forEach((dim, j) => {
    const c = coords[j];
    u[j] = dim.kind === 'categorical' ? (c + 0.5) / dim.levels : c;
  });
  return u;
}

/**
 * Partitions parameter indices into groups that are always active together in the given trials,
 * as Optuna's group-decomposed search space does: each trial's set of active parameters splits
 * every group it cuts, and parameters seen for the first time form a new group. In a conditional
 * space the groups are the parameters of each branch, so a branch's kernel is fitted only on the
 * trials that took it, and parameters that never co-occur are not forced into one joint kernel.
 */
export function groupDecomposition(active: readonly Uint8Array[], d: number): number[][] {
  let groups: number[][] = [];
  for (const mask of active) {
    const next: number[][] = [];
    for (const g of groups) {
      const inside = g.filter((j) => mask[j]);
      const outside = g.filter((j) => !mask[j]);
      if (inside.length) next.push(inside);
      if (outside.length) next.push(outside);
    }
    const known = new Set(next.flat());
    const fresh: number[] = [];
    for (let j = 0; j < d; j++) if (mask[j] && !known.has(j)) fresh.push(j);
    if (fresh.length) next.push(fresh);
    groups = next;
  }
  // Declaration order inside and between groups, so the result does not depend on set iteration.
  return groups.map((g) => [...g].sort((a, b) => a - b)).sort((a, b) => a[0] - b[0]);
}

/** Parameter indices active in every given trial (Optuna's intersection search space, used when `group` is off). */
export function intersection(active: readonly Uint8Array[], d: number): number[] {
  const out: number[] = [];
  for (let j = 0; j < d; j++) if (active.length > 0 && active.every((m) => m[j])) out.push(j);
  return out;
}
