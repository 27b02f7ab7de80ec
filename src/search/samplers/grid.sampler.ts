import { decisionOrder, isActive } from '../space/conditions';
import { levelCount, snapNumeric } from '../space/unit-cube';
import { ParamSpec, ParamValue, Params, SearchSpace } from '../space/space.types';
import { readSettings, SettingRules } from './settings-reader';
import { Sampler, SAMPLER_SETTINGS_PATH, SettingProblem } from './sampler.types';

/** Largest grid the grid sampler agrees to enumerate unless `settings.maxPoints` says otherwise. */
export const DEFAULT_MAX_GRID_POINTS = 10_000;

/** Settings of the grid sampler. */
export interface GridSettings {
  maxPoints: number;
}

const GRID_RULES: SettingRules = {
  maxPoints: { type: 'integer', default: DEFAULT_MAX_GRID_POINTS, min: 1, max: 1_000_000, description: 'refuse grids with more points than this' },
};

/** The values one parameter takes on the grid, or a reason it has none. */
export function gridValues(spec: ParamSpec): ParamValue[] | string {
  if (spec.type === 'categorical') return [...spec.values];
  const levels = levelCount(spec);
  if (levels !== Infinity) {
    const step = spec.type === 'int' ? (spec.step ?? 1) : spec.step!;
    return Array.from({ length: levels }, (_, k) => snapNumeric(spec, spec.low + k * step));
  }
  if (spec.type !== 'float' || spec.gridPoints === undefined) return 'a float needs `step` or `gridPoints` for grid search';
  const n = spec.gridPoints;
  if (n === 1) return [spec.low];
  return Array.from({ length: n }, (_, k) => {
    if (k === 0) return spec.low;
    if (k === n - 1) return spec.high;
    const t = k / (n - 1);
    const v = spec.log ? Math.exp(Math.log(spec.low) + t * (Math.log(spec.high) - Math.log(spec.low))) : spec.low + t * (spec.high - spec.low);
    // exp(log(x)) can land a rounding error outside the bounds.
    return Math.min(Math.max(v, spec.low), spec.high);
  });
}

/** Counts grid points without building them, stopping early past `limit`. */
function countGrid(space: SearchSpace, order: readonly string[], values: Map<string, ParamValue[]>, limit: number): number {
  let total = 0;
  const walk = (i: number, params: Params, product: number): void => {
    if (total > limit) return;
    if (i === order.length) {
      total += product;
      return;
    }
    const name = order[i];
    if (!isActive(space[name].when, params)) return walk(i + 1, params, product);
    const hasChildren = order.slice(i + 1).some((child) => space[child].when && name in space[child].when!);
    if (!hasChildren) return walk(i + 1, params, product * values.get(name)!.length);
    for (const v of values.get(name)!) walk(i + 1, { ...params, [name]: v }, product);
  };
  walk(0, {}, 1);
  return total;
}

/** Every grid point in a fixed order: declaration order, first parameter varying slowest. */
export function enumerateGrid(space: SearchSpace): Params[] {
  const order = decisionOrder(space);
  const points: Params[] = [];
  const walk = (i: number, params: Params): void => {
    if (i === order.length) {
      points.push(params);
      return;
    }
    const name = order[i];
    const spec = space[name];
    if (!isActive(spec.when, params)) return walk(i + 1, params);
    for (const v of gridValues(spec) as ParamValue[]) walk(i + 1, { ...params, [name]: v });
  };
  walk(0, {});
  return points;
}

/** A stable key of a parameter set, for telling which grid points are taken. */
export function paramsKey(params: Params): string {
  return JSON.stringify(
    Object.keys(params)
      .sort()
      .map((k) => [k, params[k]]),
  );
}

function validateGrid(settings: Record<string, unknown>, space: SearchSpace): { settings: GridSettings; problems: SettingProblem[] } {
  const result = readSettings<GridSettings>(GRID_RULES, settings, SAMPLER_SETTINGS_PATH);
  const values = new Map<string, ParamValue[]>();
  for (const [name, spec] of Object.entries(space)) {
    const v = gridValues(spec);
    if (typeof v === 'string') result.problems.push({ path: `space.${name}`, message: v });
    else values.set(name, v);
  }
  if (result.problems.length === 0) {
    const limit = result.settings.maxPoints;
    const size = countGrid(space, decisionOrder(space), values, limit);
    if (size > limit) {
      result.problems.push({
        path: 'space',
        message: `the grid has more than ${limit} points; narrow the space, add steps, or raise search.settings.maxPoints`,
      });
    }
  }
  return result;
}

/**
 * Exhaustive search over every combination of parameter values, in a deterministic order. Points
 * already finished or pending are skipped; when none are left the experiment is done.
 */
export const gridSampler: Sampler<GridSettings> = {
  name: 'grid',
  summary: 'Exhaustive search over int/categorical values and float steps (or gridPoints), in a fixed order.',
  settingRules: GRID_RULES,
  validateSettings: validateGrid,
  suggest({ space, history, pending, count }) {
    const taken = new Set<string>([...history.map((t) => paramsKey(t.params)), ...pending.map(paramsKey)]);
    const out: Params[] = [];
    for (const point of enumerateGrid(space)) {
      if (out.length >= count) break;
      if (!taken.has(paramsKey(point))) out.push(point);
    }
    return out;
  },
};
