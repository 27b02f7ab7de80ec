import { Sampler } from '../search/samplers/sampler.types';
import { ConstraintConfig, ExperimentSpec, ObjectiveConfig, PromotionRule } from './experiment-spec.types';
import { Rule } from './schema/rule';
import { number, oneOf, string } from './schema/scalar.rules';
import { list, map, object, Refinement, RESERVED_KEYS, RESERVED_NAME_MESSAGE, union } from './schema/structure.rules';

/** How many objectives `objectives` may list: a Pareto front of more is rarely readable, and hypervolume grows costly. */
export const OBJECTIVE_COUNT = { min: 2, max: 3 } as const;

/** A metric's name: any text but the names every JavaScript object already has. */
export const METRIC_NAME = string({ notValues: { values: RESERVED_KEYS, message: RESERVED_NAME_MESSAGE } });

/** One objective: a metric and its direction. */
export const OBJECTIVE_RULE = object({
  metric: METRIC_NAME.describe('A metric the trials report.'),
  direction: oneOf(['minimize', 'maximize'] as const),
}).as<ObjectiveConfig>();

/** `objectives`: two or three objectives searched for their Pareto front. */
export const OBJECTIVES_RULE = list(OBJECTIVE_RULE, {
  minItems: OBJECTIVE_COUNT.min,
  maxItems: OBJECTIVE_COUNT.max,
  tooFewMessage: `must list ${OBJECTIVE_COUNT.min} or ${OBJECTIVE_COUNT.max} objectives (one objective goes in objective:)`,
}).describe('Two or three objectives, instead of objective: the search looks for their Pareto front.');

const bound = number().optional();

/** `constraints`: bounds trials must meet to be feasible. */
export const CONSTRAINTS_RULE = list(
  object({ metric: METRIC_NAME.describe('A metric the trials report.'), max: bound.describe('At most this.'), min: bound.describe('At least this.') })
    .refine({
      rule: 'a constraint has max or min',
      jsonSchema: { anyOf: [{ required: ['max'] }, { required: ['min'] }] },
      check: (c, report) => void (c.max === undefined && c.min === undefined && report([], 'needs max or min')),
    })
    .as<ConstraintConfig>(),
).describe('Bounds a trial must meet to count as feasible (constrained domination: feasible trials rank first).');

const boundsRule = object({ max: bound, min: bound });

/** `registry.promote` as a rule: the best trial on one metric subject to bounds on others. */
export const PROMOTION_RULE: Rule<'best' | PromotionRule> = union<'best' | PromotionRule>(
  [
    oneOf(['best'] as const),
    object({ maximize: string().optional(), minimize: string().optional(), subjectTo: map(boundsRule).optional() })
      .refine({
        rule: 'a promotion rule names one metric to maximize or minimize',
        check: (r, report) => void ((r.maximize === undefined) === (r.minimize === undefined) && report([], 'needs exactly one of maximize or minimize')),
      })
      .as<PromotionRule>(),
  ],
  'must be best, or {maximize|minimize: METRIC, subjectTo: {METRIC: {max|min: N}}}',
);

/**
 * `objective` or `objectives`, not both; metrics not repeated; with several objectives or with
 * constraints, a sampler that ranks by constrained domination. Fills `objective` with the first
 * of `objectives`, so code that reads one objective reads the primary one.
 */
export function objectivesFit(
  samplers: Readonly<Record<string, Sampler<any>>>,
): Refinement<Omit<ExperimentSpec, 'objective'> & { objective?: ObjectiveConfig }> {
  const able = Object.values(samplers)
    .filter((s) => s.multiObjective)
    .map((s) => s.name);
  return {
    rule: 'exactly one of objective or objectives; several objectives or constraints need a multi-objective algorithm',
    jsonSchema: { oneOf: [{ required: ['objective'] }, { required: ['objectives'] }] },
    check(spec, report) {
      if (spec.objective && spec.objectives) return void report('objectives', 'give objective or objectives, not both');
      if (!spec.objective && !spec.objectives) return void report('objective', 'is required (or objectives, for two or three)');
      const metrics = (spec.objectives ?? []).map((o) => o.metric);
      metrics.forEach((m, i) => metrics.indexOf(m) !== i && report(['objectives', i, 'metric'], `repeats ${m}`));
      const sampler = samplers[spec.search.algorithm];
      const needs = spec.objectives ? 'objectives' : spec.constraints?.length ? 'constraints' : undefined;
      if (needs && sampler && !sampler.multiObjective)
        report.absolute('search.algorithm', `${spec.search.algorithm} searches one objective without constraints; with ${needs} use ${able.join(' or ')}`);
      if (spec.objectives && spec.pruning.algorithm !== 'none')
        report.absolute('pruning.algorithm', 'pruning compares one metric; with several objectives use none');
      return { replaceWith: { ...spec, objective: spec.objective ?? spec.objectives![0] } };
    },
  };
}
