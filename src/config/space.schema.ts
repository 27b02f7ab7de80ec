import { decisionOrder } from '../search/space/conditions';
import { CategoricalParam, Condition, FloatParam, IntParam, ParamSpec, SearchSpace } from '../search/space/space.types';
import { CONFIG_LIMITS, NAME_PATTERN } from './defaults';
import { Rule } from './schema/rule';
import { boolean, integer, isScalar, literal, number, scalar } from './schema/scalar.rules';
import { list, map, object, Refinement, tagged, union } from './schema/structure.rules';

/** Most values a float parameter's `gridPoints` may ask for. */
export const MAX_GRID_POINTS_PER_PARAMETER = 100_000;

const whenValue = union<ParamSpec['when'] extends infer W ? (W extends Condition ? Condition[string] : never) : never>(
  [scalar(), list(scalar(), { minItems: 1 })],
  'must be a value or a non-empty list of values',
);

const WHEN_SHAPE = 'must map parent parameter names to a value or a list of values';

/** `when: {parent: value or [values]}`: structure only; the parents are checked against the space. */
const when = map(whenValue, { minEntries: 1, tooFewMessage: WHEN_SHAPE, message: WHEN_SHAPE }).describe(
  'Active only when each named parent parameter holds the value (or one of the values).',
) as Rule<Condition>;

type Numeric = FloatParam | IntParam;

const lowAtMostHigh: Refinement<Numeric> = {
  rule: 'low <= high',
  check: (p, report) => void (p.low > p.high && report('low', `must be <= high (${p.high})`)),
};

const positiveWhenLog: Refinement<Numeric> = {
  rule: 'low > 0 when log is true',
  jsonSchema: { if: { properties: { log: { const: true } }, required: ['log'] }, then: { properties: { low: { exclusiveMinimum: 0 } } } },
  check: (p, report) => void (p.log && p.low <= 0 && report('low', 'must be > 0 when log is true')),
};

const stepWithinRange: Refinement<Numeric> = {
  rule: 'step <= high - low',
  check: (p, report) => void (p.step !== undefined && p.high > p.low && p.step > p.high - p.low && report('step', `must be <= high - low (${p.high - p.low})`)),
};

const noStepWithLog = (integerStep: boolean): Refinement<Numeric> => ({
  rule: integerStep ? 'step is 1 (or absent) when log is true' : 'no step when log is true',
  jsonSchema: {
    if: { properties: { log: { const: true } }, required: ['log'] },
    then: integerStep ? { properties: { step: { const: 1 } } } : { not: { required: ['step'] } },
  },
  check: (p, report) => void (p.log && p.step !== undefined && !(integerStep && p.step === 1) && report('step', 'cannot be combined with log')),
});

const stepOrGridPoints: Refinement<FloatParam> = {
  rule: 'step and gridPoints are not both given',
  jsonSchema: { not: { required: ['step', 'gridPoints'] } },
  check: (p, report) => void (p.step !== undefined && p.gridPoints !== undefined && report('gridPoints', 'cannot be combined with step')),
};

const floatParam = object({
  type: literal('float'),
  low: number(),
  high: number(),
  log: boolean().optional(),
  step: number({ min: 0, exclusiveMin: true }).optional(),
  gridPoints: integer({ min: 1, max: MAX_GRID_POINTS_PER_PARAMETER })
    .optional()
    .describe('Evenly spaced values the grid sampler uses for a float without step.'),
  when: when.optional(),
})
  .as<FloatParam>()
  .refine(lowAtMostHigh)
  .refine(positiveWhenLog)
  .refine(noStepWithLog(false))
  .refine(stepWithinRange)
  .refine(stepOrGridPoints)
  .describe('A real number in [low, high], optionally log-scaled or on a step lattice.');

const intParam = object({
  type: literal('int'),
  low: integer(),
  high: integer(),
  log: boolean().optional(),
  step: integer({ min: 0, exclusiveMin: true }).optional(),
  when: when.optional(),
})
  .as<IntParam>()
  .refine(lowAtMostHigh)
  .refine(positiveWhenLog)
  .refine(noStepWithLog(true))
  .refine(stepWithinRange)
  .describe('An integer in [low, high], optionally log-scaled or on a step lattice from low.');

const categoricalParam = object({
  type: literal('categorical'),
  values: list(scalar(), { minItems: 1, unique: true, message: 'must be a non-empty list' }),
  when: when.optional(),
}).describe('One of unordered values.');

/** One parameter of a search space: a float, an int or a categorical, told apart by `type`. */
export const PARAM_RULE = tagged('type', { float: floatParam, int: intParam, categorical: categoricalParam }) as Rule<ParamSpec>;

/** Checks each `when` against the parents it names: they exist, are other parameters, can take the values, and form no cycle. */
const conditionsHold: Refinement<SearchSpace> = {
  rule: 'each `when` names other parameters of the space, by values they can take, without cycles',
  check(space, report) {
    let ok = true;
    // Sets, so that a long list of values against a long list of categories stays linear.
    const categories = new Map<string, Set<unknown>>();
    const valuesOf = (parent: string, spec: CategoricalParam): Set<unknown> =>
      categories.get(parent) ?? categories.set(parent, new Set(spec.values)).get(parent)!;
    for (const [name, spec] of Object.entries(space)) {
      for (const [parent, expected] of Object.entries(spec.when ?? {})) {
        const parentSpec = space[parent];
        const at = [name, 'when', parent];
        const fail = (message: string): void => {
          ok = false;
          report(at, message);
        };
        if (!Object.prototype.hasOwnProperty.call(space, parent)) fail('names no parameter of the space');
        else if (parent === name) fail('a parameter cannot depend on itself');
        else if (parentSpec.type === 'categorical') {
          const list = (Array.isArray(expected) ? expected : [expected]).filter(isScalar);
          const allowed = valuesOf(parent, parentSpec);
          if (!list.every((v) => allowed.has(v))) fail(`must be among ${parent}'s values (${parentSpec.values.join(', ')})`);
        }
      }
    }
    if (!ok) return;
    try {
      decisionOrder(space);
    } catch {
      report([], 'conditions form a cycle');
    }
  },
};

/** The `space` section: parameter name → distribution, at least one. */
export const SPACE_RULE = map(PARAM_RULE, {
  keys: { pattern: NAME_PATTERN, message: 'parameter names use letters, digits, - and _' },
  minEntries: 1,
  maxEntries: CONFIG_LIMITS.parameters,
  tooFewMessage: 'must define at least one parameter',
})
  .refine(conditionsHold)
  .describe('Parameter name → distribution; declaration order is the dimension order.') as Rule<SearchSpace>;
