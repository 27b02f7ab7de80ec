import { CrossSectionRule } from '../../../config/experiment.schema';
import { isRecord } from '../../../config/schema/problem-collector';
import { MLP_ACTIVATIONS, MLP_HYPERPARAMETERS, MLP_OPTIMIZERS } from '../../../models/families/mlp/mlp-hyperparameters';
import { VALIDATION_METRICS } from '../../../models/metrics/metrics.types';
import { DEPLOYMENT_METRICS } from '../../../models/metrics/deployment-metrics';

const KNOWN = Object.keys(MLP_HYPERPARAMETERS);
const CHOICES: Readonly<Record<string, readonly string[]>> = { optimizer: MLP_OPTIMIZERS, activation: MLP_ACTIVATIONS };
const spaceOf = (raw: Record<string, unknown>): Record<string, unknown> => (isRecord(raw.space) ? raw.space : {});

/** The space tunes parameters of the built-in model only. */
const modelParameters: CrossSectionRule = {
  rule: 'space parameters are parameters of the built-in model',
  jsonSchema: { properties: { space: { propertyNames: { enum: KNOWN } } } },
  check(raw, report) {
    for (const name of Object.keys(spaceOf(raw))) {
      if (!KNOWN.includes(name)) report(['space', name], `not a parameter of the built-in mlp model (known: ${KNOWN.join(', ')})`);
    }
  },
};

/** `optimizer` and `activation` are chosen among the names the model knows. */
const modelChoices: CrossSectionRule = {
  rule: 'optimizer and activation are categorical, among the values the model knows',
  jsonSchema: {
    properties: {
      space: {
        properties: Object.fromEntries(
          Object.entries(CHOICES).map(([name, values]) => [name, { properties: { type: { const: 'categorical' }, values: { items: { enum: [...values] } } } }]),
        ),
      },
    },
  },
  check(raw, report) {
    const space = spaceOf(raw);
    for (const [name, allowed] of Object.entries(CHOICES)) {
      const spec = space[name];
      if (!isRecord(spec)) continue;
      if (spec.type !== 'categorical') {
        report(['space', name, 'type'], 'must be categorical');
        continue;
      }
      if (!Array.isArray(spec.values)) continue;
      spec.values.forEach((v, i) => {
        if (!allowed.includes(String(v))) report(['space', name, 'values', i], `must be one of ${allowed.join(', ')}`);
      });
    }
  },
};

/** The objectives are metrics the model reports for its task: validation metrics, model_bytes and predict_ms. */
const reportedObjective: CrossSectionRule = {
  rule: 'objective.metric (and each objectives[].metric) is a validation metric the model reports for its task, or model_bytes or predict_ms',
  jsonSchema: {
    allOf: Object.entries(VALIDATION_METRICS).map(([task, metrics]) => {
      const metric = { properties: { metric: { enum: [...metrics, ...DEPLOYMENT_METRICS] } } };
      return {
        if: { properties: { trial: { properties: { task: { const: task } }, required: ['task'] } } },
        then: { properties: { objective: metric, objectives: { items: metric } } },
      };
    }),
  },
  check(raw, report) {
    const task = isRecord(raw.trial) ? raw.trial.task : undefined;
    if (typeof task !== 'string' || !Object.prototype.hasOwnProperty.call(VALIDATION_METRICS, task)) return;
    const known = [...VALIDATION_METRICS[task as keyof typeof VALIDATION_METRICS], ...DEPLOYMENT_METRICS];
    const check = (o: unknown, at: (string | number)[]): void => {
      const metric = isRecord(o) ? o.metric : undefined;
      if (typeof metric === 'string' && !known.includes(metric)) report([...at, 'metric'], `the ${task} model reports ${known.join(', ')}`);
    };
    check(raw.objective, ['objective']);
    if (Array.isArray(raw.objectives)) raw.objectives.forEach((o, i) => check(o, ['objectives', i]));
  },
};

/** A distillation's student is an MLP: its `into` names parameters of the built-in model. */
const studentParameters: CrossSectionRule = {
  rule: 'registry.distill.into names parameters of the built-in mlp model',
  jsonSchema: { properties: { registry: { properties: { distill: { properties: { into: { propertyNames: { enum: KNOWN } } } } } } } },
  check(raw, report) {
    const distill = isRecord(raw.registry) && isRecord(raw.registry.distill) ? raw.registry.distill : undefined;
    if (!distill || !isRecord(distill.into)) return;
    for (const name of Object.keys(distill.into)) {
      if (!KNOWN.includes(name)) report(['registry', 'distill', 'into', name], `not a parameter of the built-in mlp model (known: ${KNOWN.join(', ')})`);
    }
  },
};

/** The rules a tfjs trial imposes on the rest of the config. */
export const TFJS_RULES: readonly CrossSectionRule[] = [modelParameters, modelChoices, reportedObjective, studentParameters];
