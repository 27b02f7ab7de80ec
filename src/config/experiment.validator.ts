import { CONFIG_DEFAULTS, CONFIG_LIMITS, NAME_PATTERN } from './defaults';
import { ConfigProblem, ExperimentSpec, RegistryConfig } from './experiment-spec.types';
import { ProblemCollector } from './problem-collector';
import { readSpace } from './space.validator';
import { readTrial } from './trial.validator';

const TOP_KEYS = ['name', 'description', 'objective', 'space', 'search', 'budget', 'pruning', 'trial', 'registry'];

function readRegistry(c: ProblemCollector, raw: unknown): RegistryConfig | undefined {
  const obj = c.record('registry', raw, false);
  if (!obj) return undefined;
  c.unknownKeys('registry', obj, ['model', 'promote', 'alias', 'force', 'quantize']);
  const model = c.string('registry.model', obj.model, { required: true, pattern: NAME_PATTERN });
  c.string('registry.promote', obj.promote, { values: ['best'], fallback: 'best' });
  const alias = c.string('registry.alias', obj.alias, { pattern: NAME_PATTERN, fallback: CONFIG_DEFAULTS.registryAlias });
  const force = c.boolean('registry.force', obj.force, false);
  const quantize = c.string('registry.quantize', obj.quantize, { values: ['uint8', 'float16'] }) as RegistryConfig['quantize'];
  if (!model || !alias) return undefined;
  return { model, promote: 'best', alias, force, ...(quantize ? { quantize } : {}) };
}

/**
 * Validates the structure of an experiment config (the same for files and REST bodies) and fills
 * defaults. Algorithm names and settings, built-in model parameters and file paths are checked by
 * `validateExperiment` in `src/trials`, which calls this first.
 * Returns the spec only when there are no problems; otherwise every problem found, by path.
 */
export function readExperimentConfig(raw: unknown): { spec?: ExperimentSpec; problems: ConfigProblem[] } {
  const c = new ProblemCollector();
  const root = c.record('', raw, true);
  if (!root) return { problems: [{ path: '(root)', message: 'the config must be an object (a YAML mapping or a JSON object)' }] };
  c.unknownKeys('', root, TOP_KEYS);
  const name = c.string('name', root.name, { required: true, pattern: NAME_PATTERN });
  if (name && name.length > CONFIG_LIMITS.nameLength) c.add('name', `must be at most ${CONFIG_LIMITS.nameLength} characters`);
  const description = c.string('description', root.description);

  const objective = c.record('objective', root.objective, true);
  if (objective) c.unknownKeys('objective', objective, ['metric', 'direction']);
  const metric = objective && c.string('objective.metric', objective.metric, { required: true });
  const direction = objective && c.string('objective.direction', objective.direction, { required: true, values: ['minimize', 'maximize'] });

  const space = readSpace(c, root.space);

  const search = c.record('search', root.search, false) ?? {};
  c.unknownKeys('search', search, ['algorithm', 'seed', 'settings']);
  const algorithm = c.string('search.algorithm', search.algorithm, { fallback: CONFIG_DEFAULTS.searchAlgorithm });
  const seed = c.number('search.seed', search.seed, { integer: true, min: 0, max: 2 ** 32 - 1 });
  const settings = c.record('search.settings', search.settings, false) ?? {};

  const budget = c.record('budget', root.budget, false) ?? {};
  c.unknownKeys('budget', budget, ['maxTrials', 'parallelism', 'trialTimeoutSec', 'maxFailedTrials']);
  const maxTrials = c.number('budget.maxTrials', budget.maxTrials, { integer: true, min: 1, max: CONFIG_LIMITS.maxTrials, fallback: CONFIG_DEFAULTS.maxTrials });
  const parallelism = c.number('budget.parallelism', budget.parallelism, { integer: true, min: 1, max: CONFIG_LIMITS.parallelism, fallback: CONFIG_DEFAULTS.parallelism });
  const trialTimeoutSec = c.number('budget.trialTimeoutSec', budget.trialTimeoutSec, { min: 0, exclusiveMin: true, max: CONFIG_LIMITS.trialTimeoutSec, fallback: CONFIG_DEFAULTS.trialTimeoutSec });
  const maxFailedTrials = c.number('budget.maxFailedTrials', budget.maxFailedTrials, { integer: true, min: 1, fallback: CONFIG_DEFAULTS.maxFailedTrials });

  const pruning = c.record('pruning', root.pruning, false) ?? {};
  c.unknownKeys('pruning', pruning, ['algorithm', 'settings']);
  const pruner = c.string('pruning.algorithm', pruning.algorithm, { fallback: CONFIG_DEFAULTS.pruningAlgorithm });
  const prunerSettings = c.record('pruning.settings', pruning.settings, false) ?? {};

  const trial = readTrial(c, root.trial);
  const registry = readRegistry(c, root.registry);
  if (registry && trial && trial.kind !== 'tfjs') c.add('registry', 'only tfjs trials produce a model that can be registered');

  if (c.problems.length > 0) return { problems: c.problems };
  return {
    problems: [],
    spec: {
      name: name!,
      ...(description ? { description } : {}),
      objective: { metric: metric!, direction: direction as ExperimentSpec['objective']['direction'] },
      space: space!,
      search: { algorithm: algorithm!, seed: seed ?? CONFIG_DEFAULTS.seed, settings },
      budget: { maxTrials: maxTrials!, parallelism: parallelism!, trialTimeoutSec: trialTimeoutSec!, maxFailedTrials: maxFailedTrials! },
      pruning: { algorithm: pruner!, settings: prunerSettings },
      trial: trial!,
      ...(registry ? { registry } : {}),
    },
  };
}
