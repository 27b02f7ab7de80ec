import { CONFIG_DEFAULTS, CONFIG_LIMITS } from './defaults';

type Schema = Record<string, unknown>;

const name = { type: 'string', pattern: '^[A-Za-z0-9_-]+$', maxLength: CONFIG_LIMITS.nameLength };
const scalar = { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] };
const when = { type: 'object', description: 'Active only when each named parent parameter holds the value (or one of the values).', additionalProperties: { oneOf: [scalar, { type: 'array', items: scalar }] } };

const param: Schema = {
  oneOf: [
    { type: 'object', required: ['type', 'low', 'high'], additionalProperties: false, properties: { type: { const: 'float' }, low: { type: 'number' }, high: { type: 'number' }, log: { type: 'boolean' }, step: { type: 'number', exclusiveMinimum: 0 }, gridPoints: { type: 'integer', minimum: 1 }, when } },
    { type: 'object', required: ['type', 'low', 'high'], additionalProperties: false, properties: { type: { const: 'int' }, low: { type: 'integer' }, high: { type: 'integer' }, log: { type: 'boolean' }, step: { type: 'integer', minimum: 1 }, when } },
    { type: 'object', required: ['type', 'values'], additionalProperties: false, properties: { type: { const: 'categorical' }, values: { type: 'array', minItems: 1, items: scalar }, when } },
  ],
};

const trial: Schema = {
  oneOf: [
    {
      type: 'object',
      required: ['kind', 'task', 'dataset'],
      additionalProperties: false,
      description: 'A built-in TensorFlow.js MLP trained on a CSV dataset.',
      properties: {
        kind: { const: 'tfjs' },
        task: { enum: ['classification', 'regression'] },
        model: { const: 'mlp', default: 'mlp' },
        epochs: { type: 'integer', minimum: 1, default: CONFIG_DEFAULTS.epochs },
        batchSize: { type: 'integer', minimum: 1, default: CONFIG_DEFAULTS.batchSize },
        dataset: {
          type: 'object',
          required: ['path', 'target'],
          additionalProperties: false,
          properties: {
            path: { type: 'string', description: 'CSV with a header row; relative to the config file (or the service working directory for REST).' },
            target: { type: 'string' },
            validation: { type: 'object', additionalProperties: false, properties: { fraction: { type: 'number', exclusiveMinimum: 0, maximum: 0.9, default: CONFIG_DEFAULTS.validationFraction }, seed: { type: 'integer', minimum: 0, default: CONFIG_DEFAULTS.validationSeed } } },
          },
        },
      },
    },
    { type: 'object', required: ['kind', 'module'], additionalProperties: false, description: 'A JavaScript module exporting objective(params, ctx).', properties: { kind: { const: 'module' }, module: { type: 'string' }, export: { type: 'string', default: CONFIG_DEFAULTS.moduleExport } } },
    { type: 'object', required: ['kind', 'command'], additionalProperties: false, description: 'A command; {name} in arguments and HPO_PARAM_<NAME> carry parameters; stdout lines `hpo: {json}` report metrics.', properties: { kind: { const: 'command' }, command: { type: 'array', minItems: 1, items: { type: 'string' } }, cwd: { type: 'string' }, env: { type: 'object', additionalProperties: { type: 'string' } } } },
  ],
};

/**
 * The experiment config as a JSON Schema, for the OpenAPI document. The validator in
 * `experiment.validator.ts` is the authority; this describes the same contract for readers and tools.
 */
export function experimentJsonSchema(algorithms: { samplers: string[]; pruners: string[] }): Schema {
  return {
    type: 'object',
    required: ['name', 'objective', 'space', 'trial'],
    additionalProperties: false,
    properties: {
      name,
      description: { type: 'string' },
      objective: { type: 'object', required: ['metric', 'direction'], additionalProperties: false, properties: { metric: { type: 'string' }, direction: { enum: ['minimize', 'maximize'] } } },
      space: { type: 'object', minProperties: 1, additionalProperties: param },
      search: { type: 'object', additionalProperties: false, properties: { algorithm: { enum: algorithms.samplers, default: CONFIG_DEFAULTS.searchAlgorithm }, seed: { type: 'integer', minimum: 0, default: CONFIG_DEFAULTS.seed }, settings: { type: 'object', description: 'Validated per algorithm.' } } },
      budget: {
        type: 'object',
        additionalProperties: false,
        properties: {
          maxTrials: { type: 'integer', minimum: 1, maximum: CONFIG_LIMITS.maxTrials, default: CONFIG_DEFAULTS.maxTrials },
          parallelism: { type: 'integer', minimum: 1, maximum: CONFIG_LIMITS.parallelism, default: CONFIG_DEFAULTS.parallelism },
          trialTimeoutSec: { type: 'number', exclusiveMinimum: 0, default: CONFIG_DEFAULTS.trialTimeoutSec },
          maxFailedTrials: { type: 'integer', minimum: 1, default: CONFIG_DEFAULTS.maxFailedTrials },
        },
      },
      pruning: { type: 'object', additionalProperties: false, properties: { algorithm: { enum: algorithms.pruners, default: CONFIG_DEFAULTS.pruningAlgorithm }, settings: { type: 'object' } } },
      trial,
      registry: { type: 'object', required: ['model'], additionalProperties: false, properties: { model: name, promote: { const: 'best' }, alias: { ...name, default: CONFIG_DEFAULTS.registryAlias }, force: { type: 'boolean', default: false }, quantize: { enum: ['uint8', 'float16'] } } },
    },
  };
}
