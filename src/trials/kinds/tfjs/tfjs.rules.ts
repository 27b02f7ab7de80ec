import { CrossSectionRule } from '../../../config/experiment.schema';
import { isRecord } from '../../../config/schema/problem-collector';
import { AUTO_MODEL, FAMILY_PARAMETER, knownParameters, MODEL_FAMILIES, MODEL_NAMES } from '../../../models/families/registry';
import { VALIDATION_METRICS } from '../../../models/metrics/metrics.types';
import { DEPLOYMENT_METRICS } from '../../../models/metrics/deployment-metrics';
import { DEFAULT_TFJS_MODEL } from './tfjs-model';

/** The parameters a distillation's student (an MLP) may name. */
const KNOWN = knownParameters('mlp');

const spaceOf = (raw: Record<string, unknown>): Record<string, unknown> => (isRecord(raw.space) ? raw.space : {});
const trialOf = (raw: Record<string, unknown>): Record<string, unknown> => (isRecord(raw.trial) ? raw.trial : {});
const modelOf = (raw: Record<string, unknown>): string | undefined => {
  const model = trialOf(raw).model ?? DEFAULT_TFJS_MODEL;
  return typeof model === 'string' && MODEL_NAMES.includes(model) ? model : undefined;
};
const whenModel = (model: string, then: Record<string, unknown>): Record<string, unknown> => ({
  if: {
    properties: { trial: { properties: { model: { const: model } }, ...(model === DEFAULT_TFJS_MODEL ? {} : { required: ['model'] }) } },
  },
  then,
});

/** Named parameters (optimizer, activation) across every family, with the names each accepts. */
const CHOICES: Readonly<Record<string, readonly string[]>> = Object.assign({}, ...Object.values(MODEL_FAMILIES).map((f) => f.choices));

/** The space tunes parameters of the chosen model only (of any family, plus `family`, under `model: auto`). */
const modelParameters: CrossSectionRule = {
  rule: 'space parameters are parameters of the chosen model (family and the parameters of every family under model: auto)',
  jsonSchema: { allOf: MODEL_NAMES.map((m) => whenModel(m, { properties: { space: { propertyNames: { enum: knownParameters(m) } } } })) },
  check(raw, report) {
    const model = modelOf(raw);
    if (model === undefined) return;
    const known = knownParameters(model);
    for (const name of Object.keys(spaceOf(raw))) {
      if (!known.includes(name)) report(['space', name], `not a parameter of the built-in ${model} model (known: ${known.join(', ')})`);
    }
  },
};

/** Under `model: auto` the space picks the family with a categorical `family` among the family names. */
const familyChoice: CrossSectionRule = {
  rule: 'under model: auto the space has a categorical family parameter among the family names',
  jsonSchema: whenModel(AUTO_MODEL, {
    properties: {
      space: {
        required: [FAMILY_PARAMETER],
        properties: { [FAMILY_PARAMETER]: { properties: { type: { const: 'categorical' }, values: { items: { enum: Object.keys(MODEL_FAMILIES) } } } } },
      },
    },
  }),
  check(raw, report) {
    if (modelOf(raw) !== AUTO_MODEL || !isRecord(raw.space)) return;
    const spec = raw.space[FAMILY_PARAMETER];
    if (spec === undefined)
      return report(['space'], `model: auto needs a categorical ${FAMILY_PARAMETER} parameter (or leave space out to search every family)`);
    if (!isRecord(spec)) return;
    if (spec.type !== 'categorical') return report(['space', FAMILY_PARAMETER, 'type'], 'must be categorical');
    if (!Array.isArray(spec.values)) return;
    spec.values.forEach((v, i) => {
      if (!(String(v) in MODEL_FAMILIES)) report(['space', FAMILY_PARAMETER, 'values', i], `must be one of ${Object.keys(MODEL_FAMILIES).join(', ')}`);
    });
  },
};

/** A family that needs shaped inputs (the cnn) has `dataset.shape`. */
const shapedInputs: CrossSectionRule = {
  rule: 'the cnn model needs trial.dataset.shape of 2 or 3 dimensions',
  jsonSchema: whenModel('cnn', { properties: { trial: { properties: { dataset: { required: ['shape'] } } } } }),
  check(raw, report) {
    const model = modelOf(raw);
    const dataset = trialOf(raw).dataset;
    if (model === undefined || model === AUTO_MODEL || !isRecord(dataset)) return;
    if (dataset.shape !== undefined && !(Array.isArray(dataset.shape) && dataset.shape.every((d) => Number.isInteger(d)))) return;
    const problem = MODEL_FAMILIES[model].unfit({ task: 'classification', ...(dataset.shape ? { inputShape: dataset.shape as number[] } : {}) });
    if (problem) report(['trial', 'dataset', 'shape'], problem);
  },
};

/** Named parameters are categorical, chosen among the names the model knows. */
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

/** `trial.earlyStopping.metric` is one of the validation metrics the model reports for its task. */
function reportedMetric(section: 'objective' | 'earlyStopping'): CrossSectionRule {
  const pathTo = section === 'objective' ? ['objective'] : ['trial', 'earlyStopping'];
  const at = (then: Record<string, unknown>): Record<string, unknown> =>
    section === 'objective' ? { properties: { objective: then } } : { properties: { trial: { properties: { earlyStopping: then } } } };
  return {
    rule: `${pathTo.join('.')}.metric is a validation metric the model reports for its task`,
    jsonSchema: {
      allOf: Object.entries(VALIDATION_METRICS).map(([task, metrics]) => ({
        if: { properties: { trial: { properties: { task: { const: task } }, required: ['task'] } } },
        then: at({ properties: { metric: { enum: [...metrics] } } }),
      })),
    },
    check(raw, report) {
      const task = trialOf(raw).task;
      const holder = section === 'objective' ? raw.objective : trialOf(raw).earlyStopping;
      const metric = isRecord(holder) ? holder.metric : undefined;
      if (typeof task !== 'string' || !Object.prototype.hasOwnProperty.call(VALIDATION_METRICS, task) || typeof metric !== 'string') return;
      const known = VALIDATION_METRICS[task as keyof typeof VALIDATION_METRICS];
      if (!known.includes(metric)) report([...pathTo, 'metric'], `the ${task} model reports ${known.join(', ')}`);
    },
  };
}

/** The rules a tfjs trial imposes on the rest of the config. */
export const TFJS_RULES: readonly CrossSectionRule[] = [
  modelParameters,
  familyChoice,
  shapedInputs,
  modelChoices,
  reportedObjective,
  reportedMetric('earlyStopping'),
  studentParameters,
];
