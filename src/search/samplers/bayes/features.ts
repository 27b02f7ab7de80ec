import { decodeParams, decodeValue, dimensions, encodeValue } from '../../space/unit-cube';
import { ParamSpec, Params, SearchSpace } from '../../space/space.types';

/** Feature value of an inactive numeric parameter: the centre, so it pulls no point towards an edge. */
export const INACTIVE_NUMERIC = 0.5;
/** Feature value of an inactive categorical parameter: a category of its own. */
export const INACTIVE_CATEGORY = -1;

/** Discrete parameters with more levels than this are relaxed to continuous during gradient steps. */
export const MAX_ENUMERATED_LEVELS = 16;

/**
 * How the GP sees a search space. Features are one per parameter: numeric ones are the unit-cube
 * coordinate of the (snapped) value, categorical ones the category index, compared only for
 * equality by the kernel.
 */
export interface FeatureSpace {
  space: SearchSpace;
  names: string[];
  specs: ParamSpec[];
  d: number;
  isCat: Uint8Array;
  /** Numeric coordinates optimised by gradient: plain floats and discrete ones with many levels. */
  isGradient: Uint8Array;
  /** Plain floats, whose feature is the coordinate itself. */
  isContinuous: Uint8Array;
  /** Per dimension, the unit-cube coordinates of its levels (empty for gradient dimensions). */
  levels: Float64Array[];
  hasConditions: boolean;
}

function levelCoordinates(spec: ParamSpec, count: number): Float64Array {
  if (spec.type === 'categorical') return Float64Array.from({ length: count }, (_, k) => (k + 0.5) / count);
  const step = spec.type === 'int' ? (spec.step ?? 1) : spec.step!;
  return Float64Array.from({ length: count }, (_, k) => encodeValue(spec, decodeValue(spec, encodeValue(spec, spec.low + k * step))));
}

/** Describes a space for the GP. */
export function featureSpace(space: SearchSpace): FeatureSpace {
  const dims = dimensions(space);
  const specs = Object.values(space);
  const d = dims.length;
  const isCat = new Uint8Array(d);
  const isGradient = new Uint8Array(d);
  const isContinuous = new Uint8Array(d);
  const levels: Float64Array[] = [];
  dims.forEach((dim, j) => {
    isCat[j] = dim.kind === 'categorical' ? 1 : 0;
    isContinuous[j] = dim.kind === 'continuous' ? 1 : 0;
    isGradient[j] = dim.kind === 'continuous' || (dim.kind === 'discrete' && dim.levels > MAX_ENUMERATED_LEVELS) ? 1 : 0;
    levels.push(isGradient[j] ? new Float64Array(0) : levelCoordinates(specs[j], dim.levels));
  });
  return { space, names: dims.map((x) => x.name), specs, d, isCat, isGradient, isContinuous, levels, hasConditions: dims.some((x) => x.conditional) };
}

/** Features of a trial's parameters (inactive ones get the neutral values). */
export function featuresOfParams(fs: FeatureSpace, params: Params, out: Float64Array = new Float64Array(fs.d)): Float64Array {
  for (let j = 0; j < fs.d; j++) {
    const spec = fs.specs[j];
    const value = params[fs.names[j]];
    if (value === undefined) out[j] = fs.isCat[j] ? INACTIVE_CATEGORY : INACTIVE_NUMERIC;
    else if (spec.type === 'categorical') out[j] = spec.values.findIndex((v) => v === value);
    else out[j] = encodeValue(spec, value);
  }
  return out;
}

/**
 * Features of a unit-cube point as it will be decoded: discrete values snapped, categories chosen,
 * inactive parameters neutral. With `relaxed`, many-level discrete coordinates stay unsnapped so
 * the acquisition has a gradient along them.
 */
export function featuresOfPoint(fs: FeatureSpace, u: ArrayLike<number>, out: Float64Array = new Float64Array(fs.d), relaxed = false): Float64Array {
  const active = fs.hasConditions ? decodeParams(fs.space, u) : undefined;
  for (let j = 0; j < fs.d; j++) {
    const spec = fs.specs[j];
    const uj = Math.min(Math.max(u[j], 0), 1);
    if (active && active[fs.names[j]] === undefined) out[j] = fs.isCat[j] ? INACTIVE_CATEGORY : INACTIVE_NUMERIC;
    else if (spec.type === 'categorical') out[j] = Math.min(Math.floor(uj * spec.values.length), spec.values.length - 1);
    else if (fs.isContinuous[j] || (relaxed && fs.isGradient[j])) out[j] = uj;
    else out[j] = encodeValue(spec, decodeValue(spec, uj));
  }
  return out;
}

/**
 * Which coordinates of `u` the acquisition's gradient may move: gradient dimensions whose
 * parameter is active at `u` (an inactive parameter's feature is constant).
 */
export function gradientMask(fs: FeatureSpace, u: ArrayLike<number>, out: Uint8Array = new Uint8Array(fs.d)): Uint8Array {
  const active = fs.hasConditions ? decodeParams(fs.space, u) : undefined;
  for (let j = 0; j < fs.d; j++) out[j] = fs.isGradient[j] && (!active || active[fs.names[j]] !== undefined) ? 1 : 0;
  return out;
}
