import type { TrialResources } from '../../../config/experiment-spec.types';
import { ObjectRule, object } from '../../../config/schema/structure.rules';
import { TRIAL_RESOURCES } from '../../../config/experiment.schema';
import { integer, literal, number, oneOf, string } from '../../../config/schema/scalar.rules';
import { list } from '../../../config/schema/structure.rules';
import { DatasetSpec, DEFAULT_VALIDATION, FOLD_LIMITS, MAX_TEST_FRACTION, MAX_TEST_TOP_K, MAX_VALIDATION_FRACTION } from '../../../models/data/dataset-splits';
import { DEFAULT_ID_COLUMN_POLICY } from '../../../models/data/column-selection';
import { DEFAULT_IMPUTATION, DEFAULT_MAX_CATEGORIES } from '../../../models/data/preprocessing';
import { MODEL_NAMES } from '../../../models/families/registry';
import { DEFAULT_TFJS_MODEL } from './tfjs-model';
import { EARLY_STOPPING_SECTION, EarlyStoppingConfig } from './early-stopping.config';
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
      folds: integer({ min: FOLD_LIMITS.min, max: FOLD_LIMITS.max })
        .optional()
        .describe(
          'k-fold cross-validation instead of one hold-out: the trial value is the mean over folds, the spread is recorded, the model is refitted on all training rows.',
        ),
    }).orEmpty(),
    test: object({
      fraction: number({ min: 0, exclusiveMin: true, max: MAX_TEST_FRACTION }),
      seed: integer({ min: 0 }).default(DEFAULT_VALIDATION.seed),
      topK: integer({ min: 1, max: MAX_TEST_TOP_K })
        .default(1)
        .describe('Also score the k best trials on the test rows (shown in the leaderboard); the model the experiment ends with is always scored.'),
    })
      .optional()
      .describe('Rows held out of every trial; the promoted model is scored on them once, after the experiment.'),
    features: list(string(), { minItems: 1, unique: true }).optional().describe('Only these columns are features (never the target).'),
    exclude: list(string(), { unique: true }).optional().describe('These columns are never features.'),
    idColumns: oneOf(['drop', 'refuse', 'keep'] as const)
      .default(DEFAULT_ID_COLUMN_POLICY)
      .describe('Columns that look like identifiers (all values unique, a row number, named like *_id): dropped with a warning, refused, or kept.'),
    impute: object({
      numeric: oneOf(['mean', 'median'] as const).default(DEFAULT_IMPUTATION.numeric),
      categorical: oneOf(['unknown', 'mode'] as const).default(DEFAULT_IMPUTATION.categorical),
    })
      .orEmpty()
      .describe('How missing values (empty cells; null, "" or an absent key at prediction) are filled, from training statistics saved with the model.'),
    maxCategories: integer({ min: 2, max: 10_000 })
      .default(DEFAULT_MAX_CATEGORIES)
      .describe('A categorical column keeps its most frequent categories; the rest share an "other" bucket.'),
    classWeights: oneOf(['none', 'balanced'] as const)
      .default('none')
      .describe('Classification: balanced weighs each class by n / (k · n_class) in the loss.'),
    shape: list(integer({ min: 1 }), { minItems: 2 })
      .optional()
      .describe("The shape of one row's features, e.g. [8, 8, 1] (image) or [32, 1] (sequence): the cnn family needs it."),
  }),
  epochs: integer({ min: 1, max: MAX_EPOCHS }).default(DEFAULT_EPOCHS),
  batchSize: integer({ min: 1, max: MAX_BATCH_SIZE }).default(DEFAULT_BATCH_SIZE),
  earlyStopping: EARLY_STOPPING_SECTION.optional(),
  resources: TRIAL_RESOURCES.optional(),
}).as<TfjsTrialConfig>();
