import { Pruner, PRUNER_SETTINGS_PATH } from '../search/pruners/pruner.types';
import { Sampler, SAMPLER_SETTINGS_PATH } from '../search/samplers/sampler.types';
import { readSettings, SettingRule, SettingRules } from '../search/samplers/settings-reader';
import { CONFIG_DEFAULTS, CONFIG_LIMITS, NAME_PATTERN, NAME_PATTERN_HINT } from './defaults';
import { ExperimentSpec, RegistryConfig, TrialConfig } from './experiment-spec.types';
import { isRecord, ProblemCollector } from './schema/problem-collector';
import { Infer, JsonSchema, Rule } from './schema/rule';
import { anything, boolean, integer, number, oneOf, scalar, string } from './schema/scalar.rules';
import { list, map, object, Refinement, Report, reporterAt, tagged } from './schema/structure.rules';
import { SPACE_RULE } from './space.schema';
import { CONSTRAINTS_RULE, objectivesFit, OBJECTIVE_RULE, OBJECTIVES_RULE, PROMOTION_RULE } from './objectives.schema';

/**
 * A rule across sections that a trial kind imposes (a built-in model's parameter names, the metrics
 * it reports). It reads the raw config, so its problems are listed even when the structure has
 * problems too; it must therefore expect anything where it looks.
 */
export interface CrossSectionRule {
  rule: string;
  /** The rule in JSON Schema, applied to the whole config when the trial is of this kind. */
  jsonSchema?: JsonSchema;
  check(raw: Record<string, unknown>, report: Report): void;
}

/** What a trial kind contributes to the config contract. */
export interface TrialKindSchema {
  /** The `trial.kind` value. */
  readonly name: string;
  /** A one-line description for the schema. */
  readonly summary: string;
  /** The `trial` section of this kind, `kind` field included (as a literal). */
  readonly section: Rule<TrialConfig>;
  /** Whether its trials train a model that can be registered (a `registry:` section is allowed). */
  readonly producesModel: boolean;
  readonly crossRules?: readonly CrossSectionRule[];
  /** For a kind that can derive what to search (a tfjs `model: auto`): the space used when the config gives none. */
  readonly derivedSpace?: DerivedSpace;
}

/** A space a trial kind derives from the config when `space` is left out. */
export interface DerivedSpace {
  /** JSON Schema of the configs (whole) that may leave `space` out. */
  readonly when: JsonSchema;
  /** The space for a raw config without one, or undefined when this config must give its own. */
  derive(raw: Record<string, unknown>): Record<string, unknown> | undefined;
}

/** The plugin families that contribute to the experiment schema. */
export interface SchemaPlugins {
  samplers: Readonly<Record<string, Sampler<any>>>;
  pruners: Readonly<Record<string, Pruner<any>>>;
  trialKinds: readonly TrialKindSchema[];
}

/** The experiment contract: the rule that validates configs, the rules across sections, and the JSON Schema of both. */
export interface ExperimentSchema {
  rule: Rule<ExperimentSpec>;
  /** Cross-section rules of each trial kind, by kind name. */
  crossRules: Readonly<Record<string, readonly CrossSectionRule[]>>;
  /** Derived spaces of the kinds that have one, by kind name. */
  derivedSpaces: Readonly<Record<string, DerivedSpace>>;
  jsonSchema(): JsonSchema;
}

/** A setting's rule as JSON Schema. */
function settingSchema(rule: SettingRule): JsonSchema {
  const base = { default: rule.default, description: rule.description };
  if (rule.type === 'boolean') return { type: 'boolean', ...base };
  if (rule.type === 'string') return { type: 'string', enum: [...rule.values], ...base };
  const bound = rule.min === undefined ? {} : rule.exclusiveMin ? { exclusiveMinimum: rule.min } : { minimum: rule.min };
  return { type: rule.type, ...bound, ...(rule.max !== undefined ? { maximum: rule.max } : {}), ...base };
}

/** A plugin's settings table as JSON Schema: known names only, each with its type, range and default. */
export function settingsSchema(rules: SettingRules): JsonSchema {
  return { type: 'object', properties: Object.fromEntries(Object.entries(rules).map(([k, r]) => [k, settingSchema(r)])), additionalProperties: false };
}

/** `if algorithm is X then settings follow X's table`, for every plugin of a family. */
function settingsByAlgorithm(plugins: Readonly<Record<string, { settingRules: SettingRules }>>): JsonSchema {
  return {
    allOf: Object.entries(plugins).map(([name, p]) => ({
      if: { properties: { algorithm: { const: name } } },
      then: { properties: { settings: settingsSchema(p.settingRules) } },
    })),
  };
}

/** Reads a section's `settings` against the chosen plugin's table, defaults filled in. */
function settingsOf<T extends { algorithm: string; settings: Record<string, unknown> }>(
  plugins: Readonly<Record<string, { settingRules: SettingRules }>>,
  prefix: string,
): Refinement<T> {
  return {
    rule: 'settings follow the chosen algorithm',
    jsonSchema: settingsByAlgorithm(plugins),
    check(section, report) {
      const read = readSettings(plugins[section.algorithm].settingRules, section.settings, prefix);
      for (const p of read.problems) report.absolute(p.path, p.message);
      return { replaceWith: { ...section, settings: read.settings } };
    },
  };
}

/** The budget fields a running experiment can change live (`PATCH /api/experiments/:id`, `hpo update`), with the rules a config has for them. */
export const BUDGET_FIELDS = {
  maxTrials: integer({ min: 1, max: CONFIG_LIMITS.maxTrials }),
  parallelism: integer({ min: 1, max: CONFIG_LIMITS.parallelism }).describe('Trials at once, capped by the slots of the process.'),
  trialTimeoutSec: number({ min: 0, exclusiveMin: true, max: CONFIG_LIMITS.trialTimeoutSec }),
  maxFailedTrials: integer({ min: 1 }),
};

/** The failure classes a retry policy can name. */
export const RETRY_CLASSES = ['crash', 'timeout', 'error'] as const;

/** `trial.resources`: what one trial may use, the same for every kind. */
export const TRIAL_RESOURCES = object({
  memoryMb: integer({ min: 16, max: CONFIG_LIMITS.memoryMb })
    .optional()
    .describe("Memory bound in MB (a worker thread's heap, a command's resident memory); the service default otherwise."),
  gpu: integer({ min: 0, max: CONFIG_LIMITS.gpusPerTrial })
    .optional()
    .describe(
      'GPUs the trial needs. With hpo serve --queue, a trial with gpu: 1 goes only to the GPU slots of hpo worker --gpus (one process per GPU); in one process it runs in the local pool.',
    ),
}).describe('What one trial may use.');

const unknownAlgorithm = (values: readonly string[]): string => `unknown algorithm (known: ${values.join(', ')})`;
/** A name of an experiment, a registered model or an alias: letters, digits, - and _ (it is also a folder name). */
export const NAME_FIELD = string({ pattern: NAME_PATTERN, patternHint: NAME_PATTERN_HINT, maxLength: CONFIG_LIMITS.nameLength });
const nameRule = NAME_FIELD;

/** `registry.prune` (and a promote body's `prune`): a magnitude-pruned variant stored as its own version. */
export const PRUNE_RULE = object({
  sparsity: number({ min: 0, max: 0.99 }).describe('Fraction of each dense kernel set to zero, smallest magnitudes first.'),
  fineTuneEpochs: integer({ min: 0, max: 1000 }).optional().describe('Epochs of fine-tuning with the mask held (the model kit default otherwise).'),
  alias: nameRule.optional().describe('An alias moved onto the pruned version.'),
})
  .optional()
  .describe('Also store a magnitude-pruned, fine-tuned variant as its own version, with its size, latency and metrics.');

/** `registry.distill` (and a promote body's `distill`): a distilled variant stored as its own version. */
export const DISTILL_RULE = object({
  into: map(scalar()).describe('The student: hyperparameters of the built-in MLP (hidden_layers, hidden_units, activation, learning_rate, epochs, ...).'),
  temperature: number({ min: 0.1, max: 20 }).optional().describe("Softens the teacher's probabilities (the model kit default otherwise)."),
  alias: nameRule.optional().describe('An alias moved onto the distilled version.'),
})
  .optional()
  .describe("Also store a smaller model trained on the promoted model's soft labels as its own version.");

/** The `registry` section: where the best model goes when the experiment ends. */
const registryRule = object({
  model: nameRule.describe('Registered model name.'),
  promote: PROMOTION_RULE.default('best').describe(
    'best (by the objective), or a rule: {maximize|minimize: METRIC, subjectTo: {METRIC: {max|min: N}}} (the best trial on one metric among those within the bounds).',
  ),
  alias: nameRule.default(CONFIG_DEFAULTS.registryAlias),
  force: boolean().default(false).describe('Move the alias even when the new version is not better.'),
  quantize: oneOf(['uint8', 'float16'] as const)
    .optional()
    .describe('Also store a quantized variant of the weights.'),
  prune: PRUNE_RULE,
  distill: DISTILL_RULE,
}).as<RegistryConfig>();

/**
 * The checks a sampler makes against the space (a grid needs steps, CMA-ES needs numbers): beyond
 * the schema, since they look at two sections at once.
 */
function samplerFitsSpace(samplers: SchemaPlugins['samplers']): Refinement<ExperimentSpec> {
  return {
    rule: 'the search algorithm can search this space (e.g. grid needs step or gridPoints on floats)',
    check(spec, report) {
      const seen = new Set<string>();
      readSettings(samplers[spec.search.algorithm].settingRules, spec.search.settings, SAMPLER_SETTINGS_PATH).problems.forEach((p) =>
        seen.add(`${p.path}\n${p.message}`),
      );
      for (const p of samplers[spec.search.algorithm].validateSettings(spec.search.settings, spec.space).problems) {
        if (!seen.has(`${p.path}\n${p.message}`)) report.absolute(p.path, p.message);
      }
    },
  };
}

function registryNeedsModel(trialKinds: readonly TrialKindSchema[]): Refinement<ExperimentSpec> {
  const producing = trialKinds.filter((k) => k.producesModel).map((k) => k.name);
  return {
    rule: 'a registry section only with a trial kind that trains a model',
    jsonSchema: { if: { required: ['registry'] }, then: { properties: { trial: { properties: { kind: { enum: producing } } } } } },
    check: (spec, report) =>
      void (
        spec.registry &&
        !producing.includes(spec.trial.kind) &&
        report('registry', `only ${producing.join(', ')} trials produce a model that can be registered`)
      ),
  };
}

/** Applies a kind's cross-section rule in JSON Schema only when the trial is of that kind. */
function whenKind(kind: string, schema: JsonSchema): JsonSchema {
  return { if: { properties: { trial: { properties: { kind: { const: kind } }, required: ['kind'] } }, required: ['trial'] }, then: schema };
}

/**
 * Builds the experiment contract from its plugins: samplers and pruners give their settings tables,
 * trial kinds their `trial` section and cross-section rules. The same object validates configs (with
 * problems by path, defaults filled in) and gives the JSON Schema of the OpenAPI document.
 */
export function experimentSchema(plugins: SchemaPlugins): ExperimentSchema {
  const samplerNames = Object.keys(plugins.samplers);
  const prunerNames = Object.keys(plugins.pruners);
  const kinds = Object.fromEntries(plugins.trialKinds.map((k) => [k.name, k.section.describe(k.summary)]));
  const shape = object({
    name: nameRule.describe('Letters, digits, - and _.'),
    description: string().optional(),
    objective: OBJECTIVE_RULE.optional().describe('The metric to optimise and its direction (or objectives, for several).'),
    objectives: OBJECTIVES_RULE.optional(),
    constraints: CONSTRAINTS_RULE.optional(),
    space: SPACE_RULE,
    search: object({
      algorithm: string({ values: samplerNames, valuesMessage: unknownAlgorithm }).default(CONFIG_DEFAULTS.searchAlgorithm),
      seed: integer({ min: 0, max: CONFIG_LIMITS.seed }).default(CONFIG_DEFAULTS.seed),
      settings: map(anything()).default({}).describe('Validated per algorithm.'),
      warmStart: object({ experiment: integer({ min: 1 }).describe('Its id; its space must have the same parameters, of the same types.') })
        .optional()
        .describe("Another experiment's finished trials are given to the sampler as history: not run again, not counted in the budget."),
    })
      .refine(settingsOf(plugins.samplers, SAMPLER_SETTINGS_PATH))
      .orEmpty(),
    budget: object({
      maxTrials: BUDGET_FIELDS.maxTrials.default(CONFIG_DEFAULTS.maxTrials),
      parallelism: BUDGET_FIELDS.parallelism.default(CONFIG_DEFAULTS.parallelism),
      trialTimeoutSec: BUDGET_FIELDS.trialTimeoutSec.default(CONFIG_DEFAULTS.trialTimeoutSec),
      maxFailedTrials: BUDGET_FIELDS.maxFailedTrials.default(CONFIG_DEFAULTS.maxFailedTrials),
      maxRetries: integer({ min: 0, max: CONFIG_LIMITS.maxRetries })
        .default(CONFIG_DEFAULTS.maxRetries)
        .describe('Times a failed trial runs again, as a new trial linked to it; a retried failure counts neither against the budget nor maxFailedTrials.'),
      retryOn: list(oneOf(RETRY_CLASSES), { unique: true })
        .default([...CONFIG_DEFAULTS.retryOn])
        .describe('Which failures are retried: crash (its thread, process or machine died), timeout, error.'),
      priority: number({ min: 0, exclusiveMin: true, max: 1000 })
        .default(CONFIG_DEFAULTS.priority)
        .describe("Share of the process's slots against other experiments."),
    }).orEmpty(),
    pruning: object({
      algorithm: string({ values: prunerNames, valuesMessage: unknownAlgorithm }).default(CONFIG_DEFAULTS.pruningAlgorithm),
      settings: map(anything()).default({}),
    })
      .refine(settingsOf(plugins.pruners, PRUNER_SETTINGS_PATH))
      .orEmpty(),
    trial: tagged('kind', kinds) as Rule<TrialConfig>,
    registry: registryRule
      .describe(
        `Where the best model goes when the experiment ends; only for ${plugins.trialKinds
          .filter((k) => k.producesModel)
          .map((k) => k.name)
          .join(', ')} trials.`,
      )
      .optional(),
  });
  // The declared spec type must be what the rule reads: a change to one without the other does not compile.
  // (`objective` is optional in the shape: a refinement fills it from `objectives`.)
  const inferred: Infer<typeof shape> = undefined as unknown as ExperimentSpec;
  const declared: Omit<ExperimentSpec, 'objective'> & { objective?: ExperimentSpec['objective'] } = inferred;
  void declared;
  const rule = shape
    .notAnObject('the config must be an object (a YAML mapping or a JSON object)')
    .refine(objectivesFit(plugins.samplers))
    .as<ExperimentSpec>()
    .refine(registryNeedsModel(plugins.trialKinds))
    .refine(samplerFitsSpace(plugins.samplers));
  const crossRules = Object.fromEntries(plugins.trialKinds.map((k) => [k.name, k.crossRules ?? []]));
  const derivedSpaces = Object.fromEntries(plugins.trialKinds.flatMap((k) => (k.derivedSpace ? [[k.name, k.derivedSpace]] : [])));
  return {
    rule,
    crossRules,
    derivedSpaces,
    jsonSchema() {
      const schema = rule.jsonSchema();
      // Each kind's section says in words what it requires of the other sections (the JSON form is in allOf below).
      const trial = (schema.properties as Record<string, JsonSchema>).trial;
      trial.oneOf = (trial.oneOf as JsonSchema[]).map((variant, i) => {
        const rules = (plugins.trialKinds[i].crossRules ?? []).map((r) => r.rule);
        return rules.length > 0 ? { ...variant, 'x-rules': rules } : variant;
      });
      const cross = plugins.trialKinds.flatMap((k) => (k.crossRules ?? []).flatMap((r) => (r.jsonSchema ? [whenKind(k.name, r.jsonSchema)] : [])));
      const beyond = plugins.trialKinds.flatMap((k) => (k.crossRules ?? []).filter((r) => !r.jsonSchema).map((r) => `${k.name} trials: ${r.rule}`));
      // A kind that derives its space lets a config leave `space` out under its condition.
      const derived = plugins.trialKinds.flatMap((k) => (k.derivedSpace ? [whenKind(k.name, k.derivedSpace.when).then as JsonSchema] : []));
      const spaceRequired = derived.length > 0 ? [{ anyOf: [{ required: ['space'] }, ...derived] }] : [];
      const required = derived.length > 0 ? ((schema.required as string[]) ?? []).filter((r) => r !== 'space') : schema.required;
      return {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        title: 'Experiment config',
        ...schema,
        ...(required ? { required } : {}),
        allOf: [...((schema.allOf as JsonSchema[]) ?? []), ...cross, ...spaceRequired],
        ...(beyond.length > 0 ? { 'x-rules': [...((schema['x-rules'] as string[]) ?? []), ...beyond] } : {}),
      };
    },
  };
}

/** What reading a config found: the spec (only when nothing is wrong) and every problem, by path. */
export interface ConfigReading {
  spec?: ExperimentSpec;
  collector: ProblemCollector;
}

/**
 * Reads a parsed config against the contract: structure, defaults, rules across fields, then the
 * trial kind's cross-section rules (on the raw config, so they speak even when the structure has
 * problems; a path already reported is not reported twice).
 */
export function readExperiment(schema: ExperimentSchema, raw: unknown): ConfigReading {
  const c = new ProblemCollector();
  const kind = isRecord(raw) && isRecord(raw.trial) && typeof raw.trial.kind === 'string' ? raw.trial.kind : undefined;
  const derivable = kind !== undefined && Object.prototype.hasOwnProperty.call(schema.derivedSpaces, kind) && isRecord(raw) && raw.space === undefined;
  const derived = derivable ? schema.derivedSpaces[kind].derive(raw as Record<string, unknown>) : undefined;
  if (derived) raw = { ...(raw as Record<string, unknown>), space: derived };
  const spec = schema.rule.read(raw, '', c);
  const rules = kind !== undefined && Object.prototype.hasOwnProperty.call(schema.crossRules, kind) ? schema.crossRules[kind] : [];
  if (isRecord(raw) && rules.length > 0) {
    const reported = new Set(c.problems.map((p) => p.path));
    const scratch = new ProblemCollector();
    for (const rule of rules) rule.check(raw, reporterAt('', scratch, rule.jsonSchema === undefined));
    for (const p of scratch.problems) {
      if (reported.has(p.path)) continue;
      if (scratch.isBeyondSchema(p)) c.addBeyondSchema(p.path, p.message);
      else c.add(p.path, p.message);
    }
  }
  return { spec: c.count === 0 ? spec : undefined, collector: c };
}
