import { decisionOrder, isActive } from './conditions';
import { CategoricalParam, FloatParam, IntParam, ParamSpec, ParamValue, Params, SearchSpace } from './space.types';

/** How a sampler may treat one coordinate of the unit-cube encoding. */
export type DimensionKind = 'continuous' | 'discrete' | 'categorical';

/** One coordinate of the unit cube, in the order of the space's declaration. */
export interface Dimension {
  name: string;
  kind: DimensionKind;
  /** Distinct values the coordinate decodes to (categories, integers, step points); `Infinity` for a plain float. */
  levels: number;
  /** Whether the parameter has a `when` condition and can be inactive. */
  conditional: boolean;
}

/** The coordinates of a space, one per parameter. */
export function dimensions(space: SearchSpace): Dimension[] {
  return Object.entries(space).map(([name, spec]) => ({
    name,
    kind: spec.type === 'categorical' ? 'categorical' : levelCount(spec) === Infinity ? 'continuous' : 'discrete',
    levels: levelCount(spec),
    conditional: spec.when !== undefined,
  }));
}

/** Number of distinct values a parameter can take (`Infinity` for a float without `step`). */
export function levelCount(spec: ParamSpec): number {
  if (spec.type === 'categorical') return spec.values.length;
  if (spec.type === 'int') return Math.floor((spec.high - spec.low) / (spec.step ?? 1)) + 1;
  if (spec.step !== undefined) return Math.floor((spec.high - spec.low) / spec.step + 1e-9) + 1;
  return Infinity;
}

const clip01 = (u: number): number => (u < 0 ? 0 : u > 1 ? 1 : u);

/**
 * The interval, in the internal scale (log or linear), that maps onto [0, 1].
 * Discrete values get half a step of padding on each side so every value owns an equal share of the cube.
 */
function internalBounds(spec: FloatParam | IntParam): [number, number] {
  const step = spec.type === 'int' ? (spec.step ?? 1) : spec.step;
  if (spec.log) {
    if (spec.type === 'int' && step === 1) return [Math.log(spec.low - 0.5 > 0 ? spec.low - 0.5 : spec.low / 2), Math.log(spec.high + 0.5)];
    return [Math.log(spec.low), Math.log(spec.high)];
  }
  if (step !== undefined) {
    const top = spec.low + (levelCount(spec) - 1) * step;
    return [spec.low - step / 2, top + step / 2];
  }
  return [spec.low, spec.high];
}

/** Snaps a numeric value onto the parameter's lattice and bounds. */
export function snapNumeric(spec: FloatParam | IntParam, x: number): number {
  const step = spec.type === 'int' ? (spec.step ?? 1) : spec.step;
  let v = x;
  if (step !== undefined) {
    const k = Math.round((v - spec.low) / step);
    const kMax = levelCount(spec) - 1;
    v = spec.low + Math.min(Math.max(k, 0), kMax) * step;
    // Keep decimal steps tidy (0.1 * 3 = 0.30000000000000004).
    if (spec.type === 'float') v = Number(v.toPrecision(12));
  }
  if (spec.type === 'int') v = Math.round(v);
  return Math.min(Math.max(v, spec.low), spec.high);
}

function encodeNumeric(spec: FloatParam | IntParam, x: number): number {
  const [lo, hi] = internalBounds(spec);
  const t = spec.log ? Math.log(x) : x;
  return hi === lo ? 0.5 : clip01((t - lo) / (hi - lo));
}

function decodeNumeric(spec: FloatParam | IntParam, u: number): number {
  const [lo, hi] = internalBounds(spec);
  const t = lo + clip01(u) * (hi - lo);
  return snapNumeric(spec, spec.log ? Math.exp(t) : t);
}

function encodeCategorical(spec: CategoricalParam, value: ParamValue): number {
  const index = spec.values.findIndex((v) => v === value);
  if (index < 0) throw new Error(`value ${JSON.stringify(value)} is not one of the categories`);
  return (index + 0.5) / spec.values.length;
}

function decodeCategorical(spec: CategoricalParam, u: number): ParamValue {
  const index = Math.min(Math.floor(clip01(u) * spec.values.length), spec.values.length - 1);
  return spec.values[index];
}

/** Maps one parameter value into [0, 1]. */
export function encodeValue(spec: ParamSpec, value: ParamValue): number {
  return spec.type === 'categorical' ? encodeCategorical(spec, value) : encodeNumeric(spec, Number(value));
}

/** Maps a coordinate in [0, 1] (clipped if outside) to a valid value of the parameter. */
export function decodeValue(spec: ParamSpec, u: number): ParamValue {
  const safe = Number.isFinite(u) ? u : 0.5;
  return spec.type === 'categorical' ? decodeCategorical(spec, safe) : decodeNumeric(spec, safe);
}

/**
 * Encodes a trial's parameters as a point of the unit cube, one coordinate per parameter in
 * declaration order. Inactive (absent) parameters get `inactiveValue` (NaN unless given), so a
 * sampler chooses its own neutral treatment.
 */
export function encodeParams(space: SearchSpace, params: Params, inactiveValue = Number.NaN): Float64Array {
  const names = Object.keys(space);
  const point = new Float64Array(names.length);
  names.forEach((name, i) => {
    const value = params[name];
    point[i] = value === undefined ? inactiveValue : encodeValue(space[name], value);
  });
  return point;
}

/**
 * Decodes a point of the unit cube into parameters. Parents are decided before children, and a
 * parameter whose condition does not hold is left out, so the result always satisfies the space.
 */
export function decodeParams(space: SearchSpace, point: ArrayLike<number>): Params {
  const names = Object.keys(space);
  const index = new Map(names.map((name, i) => [name, i]));
  const params: Params = {};
  for (const name of decisionOrder(space)) {
    const spec = space[name];
    if (!isActive(spec.when, params)) continue;
    params[name] = decodeValue(spec, point[index.get(name)!]);
  }
  return params;
}
