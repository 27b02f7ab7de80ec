import { DISTILL_RULE, NAME_FIELD, PRUNE_RULE } from '../../config/experiment.schema';
import { anything, boolean, integer, number, oneOf, string, text } from '../../config/schema/scalar.rules';
import { list, map, nullable, object } from '../../config/schema/structure.rules';

const time = string().describe('ISO 8601');
const freeText = text({ numbers: false });

/** `POST /models/:name/versions`: which trial to promote, and what to do with the alias. */
export const PROMOTE_BODY = object({
  experimentId: integer({ min: 1 }).ifMissing('is required: a positive integer'),
  trialNumber: integer({ min: 1 }).optional().describe('The best COMPLETE trial when absent.'),
  alias: NAME_FIELD.optional().describe('Moved onto the new version when it beats the version holding it (or with force).'),
  force: boolean().optional(),
  description: freeText.optional(),
  tags: map(freeText).optional(),
  quantize: oneOf(['uint8', 'float16'] as const).optional(),
  prune: PRUNE_RULE,
  distill: DISTILL_RULE,
}).notAnObject('must be an object');

/** `PUT /models/:name/aliases/:alias`: the version the alias points at from now on. */
export const ALIAS_BODY = object({ version: integer({ min: 1 }).ifMissing('is required: a positive integer') }).notAnObject('must be an object');

/** `POST /models/:name/versions/:version/archive`: archive (the default) or restore. */
export const ARCHIVE_BODY = object({ archived: boolean().optional().describe('false restores an archived version.') }).notAnObject('must be an object');

const file = object({ name: string(), bytes: integer({ min: 0 }), sha256: string({ pattern: /^[0-9a-f]{64}$/ }) });
const feature = object({
  name: string(),
  type: oneOf(['numeric', 'categorical'] as const),
  categories: list(text({ numbers: false })).optional(),
  missingBecomes: anything().optional().describe('What a missing value (null, "", an absent key) becomes: the saved fill value, or "unknown".'),
});
const noted = (value: string) =>
  list(object({ instance: integer({ min: 0 }), feature: string(), value: anything() }))
    .optional()
    .describe(value);

/** A model version as REST shows it. */
export const MODEL_VERSION = object({
  model: string(),
  version: integer({ min: 1 }),
  experimentId: integer(),
  trialId: integer(),
  trialNumber: integer(),
  params: map(anything()),
  metrics: map(number()),
  objective: object({ metric: string(), direction: oneOf(['minimize', 'maximize'] as const), value: number() }),
  backend: nullable(freeText),
  inputSchema: object({
    task: oneOf(['classification', 'regression'] as const),
    target: string(),
    features: list(feature),
    classes: list(freeText).optional(),
    dropped: list(object({ name: string(), reason: freeText }))
      .optional()
      .describe('ID-like columns the model does not take.'),
  }),
  files: list(file),
  description: nullable(freeText),
  tags: map(freeText),
  archived: boolean(),
  quantization: nullable(map(anything())),
  compression: nullable(map(anything())).describe(
    'A pruned or distilled variant: {kind, of (the version it was made from), settings, weightBytes, gzipBytes, sizeRatio, latencyMs, metric, baseValue, value, metricChange, validation, test} against that version.',
  ),
  testMetrics: nullable(map(number())).describe('Its metrics on the rows dataset.test held out of every trial, scored once at promotion.'),
  createdAt: time,
});

const aliasView = object({ alias: string(), version: integer(), updatedAt: time });

/** A model with its versions and aliases. */
export const MODEL_DETAIL = object({ name: string(), versions: list(MODEL_VERSION), aliases: list(aliasView) });

/** Every model with its version count, latest version and aliases. */
export const MODEL_LIST = list(
  object({ name: string(), createdAt: time, versionCount: integer({ min: 0 }), latestVersion: nullable(integer()), aliases: map(integer()) }),
);

/** The new version, and what happened to the alias. */
export const PROMOTION_RESULT = object({
  version: MODEL_VERSION,
  alreadyRegistered: boolean().optional(),
  alias: object({ name: string(), moved: boolean(), version: nullable(integer()), previousVersion: nullable(integer()), reason: freeText }).optional(),
  variants: list(
    object({
      version: MODEL_VERSION,
      alias: object({ name: string(), moved: boolean(), version: nullable(integer()), previousVersion: nullable(integer()), reason: freeText }).optional(),
    }),
  )
    .optional()
    .describe('The pruned and distilled variants, each stored as its own version.'),
});

/** An alias move. */
export const ALIAS_MOVE = object({ alias: string(), version: integer(), previousVersion: nullable(integer()) });

/** Predictions, in the order of the rows. */
export const PREDICT_RESPONSE = object({
  predictions: list(map(anything())).describe('{label, probabilities} per row for classification, {value} for regression.'),
  model: string(),
  version: integer(),
  fallbackFrom: integer().optional().describe('The version the alias points at, when it failed its checksums and the last good version answered.'),
  imputed: noted('Missing values filled in with the statistics saved at training (the value is what they became).'),
  unknownCategories: noted('Categories training never saw, mapped to the "unknown" bucket.'),
});
