import type { TrialResources } from '../../../config/experiment-spec.types';
import { ObjectRule, object } from '../../../config/schema/structure.rules';
import { TRIAL_RESOURCES } from '../../../config/experiment.schema';
import { integer, literal, number, oneOf, string } from '../../../config/schema/scalar.rules';
import { list } from '../../../config/schema/structure.rules';
import { MODEL_NAMES } from '../../../models/families/registry';
import { DEFAULT_TFJS_MODEL } from './tfjs-model';
import { EARLY_STOPPING_SECTION, EarlyStoppingConfig } from './early-stopping.config';
import { DatasetSpec, DEFAULT_VALIDATION, MAX_VALIDATION_FRACTION } from '../../../models/data/dataset-splits';
import { LearningTask } from '../../../models/data/preprocessing';
import { DEFAULT_BATCH_SIZE, DEFAULT_EPOCHS, MAX_BATCH_SIZE, MAX_EPOCHS } from '../../../models/training/training-defaults';

/** The built-in models a tfjs trial can train: a family of the model kit, or `auto` to search across them. */
export const TFJS_MODELS = MODEL_NAMES;

/** The `trial` section of a built-in TensorFlow.js model trained on a CSV dataset; paths absolute once loaded. */
export interface TfjsTrialConfig {
  kind: 'tfjs';
  resources?: TrialResources;
  task: LearningTask;
  /** A family name, or `auto`. */
  model: string;
  dataset: DatasetSpec & { shape?: number[] };
  /** Epochs when the `epochs` hyperparameter is not tuned. */
  epochs: number;
  /** Batch size when the `batch_size` hyperparameter is not tuned. */
  batchSize: number;
  /** Stop a trial when its metric stops improving; on by default for `model: auto`. */
  earlyStopping?: EarlyStoppingConfig;
}

/** The rule of the tfjs `trial` section: its fields, ranges and defaults. */
export const TFJS_SECTION: ObjectRule<TfjsTrialConfig> = object({
  kind: literal('tfjs'),
  task: oneOf(['classification', 'regression'] as const),
  model: oneOf(TFJS_MODELS).default(DEFAULT_TFJS_MODEL).describe('A model family (see "Model families" in the README), or auto to search across them.'),
  dataset: object({
    path: string().describe('CSV with a header row; relative to the config file (or the service working directory for REST).'),
    target: string().describe('The column to predict.'),
    validation: object({
      fraction: number({ min: 0, exclusiveMin: true, max: MAX_VALIDATION_FRACTION }).default(DEFAULT_VALIDATION.fraction),
      seed: integer({ min: 0 }).default(DEFAULT_VALIDATION.seed),
    }).orEmpty(),
    shape: list(integer({ min: 1 }), { minItems: 2 })
      .optional()
      .describe("The shape of one row's features, e.g. [8, 8, 1] (image) or [32, 1] (sequence): the cnn family needs it."),
  }),
  epochs: integer({ min: 1, max: MAX_EPOCHS }).default(DEFAULT_EPOCHS),
  batchSize: integer({ min: 1, max: MAX_BATCH_SIZE }).default(DEFAULT_BATCH_SIZE),
  earlyStopping: EARLY_STOPPING_SECTION.optional(),
  resources: TRIAL_RESOURCES.optional(),
}).as<TfjsTrialConfig>();
