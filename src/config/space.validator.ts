import { decisionOrder } from '../search/space/conditions';
import { ParamSpec, ParamValue, SearchSpace } from '../search/space/space.types';
import { NAME_PATTERN } from './defaults';
import { isRecord, join, ProblemCollector } from './problem-collector';

const TYPES = ['float', 'int', 'categorical'] as const;
const KEYS: Record<(typeof TYPES)[number], string[]> = {
  float: ['type', 'low', 'high', 'log', 'step', 'gridPoints', 'when'],
  int: ['type', 'low', 'high', 'log', 'step', 'when'],
  categorical: ['type', 'values', 'when'],
};

const isScalar = (v: unknown): v is ParamValue => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

function readNumeric(c: ProblemCollector, path: string, raw: Record<string, unknown>, type: 'float' | 'int'): ParamSpec | undefined {
  const integer = type === 'int';
  const low = c.number(join(path, 'low'), raw.low, { required: true, integer });
  const high = c.number(join(path, 'high'), raw.high, { required: true, integer });
  const log = c.boolean(join(path, 'log'), raw.log, false);
  const step = c.number(join(path, 'step'), raw.step, { integer, min: 0, exclusiveMin: true });
  const gridPoints = type === 'float' ? c.number(join(path, 'gridPoints'), raw.gridPoints, { integer: true, min: 1, max: 100_000 }) : undefined;
  if (low === undefined || high === undefined) return undefined;
  let ok = true;
  if (low > high) ok = fail(c, join(path, 'low'), `must be <= high (${high})`);
  if (log && low <= 0) ok = fail(c, join(path, 'low'), 'must be > 0 when log is true');
  if (log && step !== undefined && !(integer && step === 1)) ok = fail(c, join(path, 'step'), 'cannot be combined with log');
  if (step !== undefined && step > high - low && high > low) ok = fail(c, join(path, 'step'), `must be <= high - low (${high - low})`);
  if (step !== undefined && gridPoints !== undefined) ok = fail(c, join(path, 'gridPoints'), 'cannot be combined with step');
  if (!ok) return undefined;
  const spec: ParamSpec = { type, low, high } as ParamSpec;
  if (log) (spec as { log?: boolean }).log = true;
  if (step !== undefined) (spec as { step?: number }).step = step;
  if (gridPoints !== undefined) (spec as { gridPoints?: number }).gridPoints = gridPoints;
  return spec;
}

function fail(c: ProblemCollector, path: string, message: string): false {
  c.add(path, message);
  return false;
}

function readCategorical(c: ProblemCollector, path: string, raw: Record<string, unknown>): ParamSpec | undefined {
  const values = raw.values;
  if (!Array.isArray(values) || values.length === 0) return void c.add(join(path, 'values'), 'must be a non-empty list');
  const bad = values.findIndex((v) => !isScalar(v));
  if (bad >= 0) return void c.add(join(join(path, 'values'), bad), 'must be a string, number or boolean');
  if (new Set(values).size !== values.length) return void c.add(join(path, 'values'), 'must not repeat a value');
  return { type: 'categorical', values: values as ParamValue[] };
}

/** Reads one parameter; undefined when it has problems (already reported). */
function readParam(c: ProblemCollector, path: string, raw: unknown): ParamSpec | undefined {
  const obj = c.record(path, raw, true);
  if (!obj) return undefined;
  const type = c.string(join(path, 'type'), obj.type, { required: true, values: TYPES }) as (typeof TYPES)[number] | undefined;
  if (!type) return undefined;
  c.unknownKeys(path, obj, KEYS[type]);
  const spec = type === 'categorical' ? readCategorical(c, path, obj) : readNumeric(c, path, obj, type);
  if (spec && obj.when !== undefined) spec.when = obj.when as ParamSpec['when'];
  return spec;
}

/** Checks each `when` against the parents it names: they exist, are declared, and can take the values. */
function checkConditions(c: ProblemCollector, space: SearchSpace): boolean {
  let ok = true;
  for (const [name, spec] of Object.entries(space)) {
    if (spec.when === undefined) continue;
    const path = join(join('space', name), 'when');
    if (!isRecord(spec.when) || Object.keys(spec.when).length === 0) {
      ok = fail(c, path, 'must map parent parameter names to a value or a list of values');
      continue;
    }
    for (const [parent, expected] of Object.entries(spec.when)) {
      const parentSpec = space[parent];
      const where = join(path, parent);
      if (!parentSpec) ok = fail(c, where, 'names no parameter of the space');
      else if (parent === name) ok = fail(c, where, 'a parameter cannot depend on itself');
      else {
        const list = Array.isArray(expected) ? expected : [expected];
        if (list.length === 0 || !list.every(isScalar)) ok = fail(c, where, 'must be a value or a non-empty list of values');
        else if (parentSpec.type === 'categorical' && !list.every((v) => parentSpec.values.includes(v))) {
          ok = fail(c, where, `must be among ${parent}'s values (${parentSpec.values.join(', ')})`);
        }
      }
    }
  }
  if (ok) {
    try {
      decisionOrder(space);
    } catch {
      ok = fail(c, 'space', 'conditions form a cycle');
    }
  }
  return ok;
}

/** Validates the `space` section; returns the typed space (only when it has no problems). */
export function readSpace(c: ProblemCollector, raw: unknown): SearchSpace | undefined {
  const obj = c.record('space', raw, true);
  if (!obj) return undefined;
  const names = Object.keys(obj);
  if (names.length === 0) return void c.add('space', 'must define at least one parameter');
  const before = c.problems.length;
  const space: SearchSpace = {};
  for (const name of names) {
    if (!NAME_PATTERN.test(name)) c.add(join('space', name), 'parameter names use letters, digits, - and _');
    const spec = readParam(c, join('space', name), obj[name]);
    if (spec) space[name] = spec;
  }
  if (c.problems.length > before) return undefined;
  return checkConditions(c, space) ? space : undefined;
}
