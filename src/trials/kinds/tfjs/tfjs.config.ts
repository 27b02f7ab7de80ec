import type { TrialResources } from '../../../config/experiment-spec.types';
import { ObjectRule, object } from '../../../config/schema/structure.rules';
import { TRIAL_RESOURCES } from '../../../config/experiment.schema';
import { integer, literal, number, oneOf, string } from '../../../config/schema/scalar.rules';
import { DatasetSpec, DEFAULT_VALIDATION, MAX_VALIDATION_FRACTION } from '../../../models/data/dataset-splits';
import { LearningTask } from '../../../models/data/preprocessing';
import { DEFAULT_BATCH_SIZE, DEFAULT_EPOCHS, MAX_BATCH_SIZE, MAX_EPOCHS } from '../../../models/training/training-defaults';

/** The built-in models a tfjs trial can train. */
export const TFJS_MODELS = ['mlp'] as const;

/** The `trial` section of a built-in TensorFlow.js model trained on a CSV dataset; paths absolute once loaded. */
export interface TfjsTrialConfig {
  kind: 'tfjs';
  resources?: TrialResources;
  task: LearningTask;
  model: (typeof TFJS_MODELS)[number];
  dataset: DatasetSpec;
  /** Epochs when the `epochs` hyperparameter is not tuned. */
  epochs: number;
  /** Batch size when the `batch_size` hyperparameter is not tuned. */
  batchSize: number;
}

/** The rule of the tfjs `trial` section: its fields, ranges and defaults. */
export const TFJS_SECTION: ObjectRule<TfjsTrialConfig> = object({
  kind: literal('tfjs'),
  task: oneOf(['classification', 'regression'] as const),
  model: oneOf(TFJS_MODELS).default('mlp'),
  dataset: object({
    path: string().describe('CSV with a header row; relative to the config file (or the service working directory for REST).'),
    target: string().describe('The column to predict.'),
    validation: object({
      fraction: number({ min: 0, exclusiveMin: true, max: MAX_VALIDATION_FRACTION }).default(DEFAULT_VALIDATION.fraction),
      seed: integer({ min: 0 }).default(DEFAULT_VALIDATION.seed),
    }).orEmpty(),
  }),
  epochs: integer({ min: 1, max: MAX_EPOCHS }).default(DEFAULT_EPOCHS),
  batchSize: integer({ min: 1, max: MAX_BATCH_SIZE }).default(DEFAULT_BATCH_SIZE),
  resources: TRIAL_RESOURCES.optional(),
}).as<TfjsTrialConfig>();
