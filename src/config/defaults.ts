/** Defaults of the experiment config's common sections, named once; the schema, the code and the docs read them. */
export const CONFIG_DEFAULTS = {
  searchAlgorithm: 'random',
  /** A fixed default seed: the same config gives the same search unless a seed is chosen. */
  seed: 0,
  maxTrials: 20,
  parallelism: 1,
  trialTimeoutSec: 600,
  maxFailedTrials: 10,
  /** No retries unless asked: a failure is usually the parameters'. */
  maxRetries: 0,
  /** Retried unless told otherwise: failures that are not the parameters' fault (a thread or machine that died). */
  retryOn: ['crash'],
  /** Every experiment gets an equal share of a process's slots unless told otherwise. */
  priority: 1,
  pruningAlgorithm: 'none',
  registryAlias: 'production',
} as const;

/** Limits that keep one experiment within what a single service can run. */
export const CONFIG_LIMITS = {
  // A run keeps per finished trial only what its sampler reads (bench/memory), so the limit is the store's patience, not memory.
  maxTrials: 10_000_000,
  parallelism: 64,
  trialTimeoutSec: 7 * 24 * 3600,
  nameLength: 100,
  maxRetries: 10,
  /** The most memory one trial may be given, in MB. */
  memoryMb: 1_048_576,
  /** A GPU slot of a worker is one device, so a trial can ask for at most one. */
  gpusPerTrial: 1,
  /** Seeds are 32-bit unsigned integers. */
  seed: 2 ** 32 - 1,
  /**
   * The most parameters a space may have. Real spaces have tens; the bound keeps validating a
   * config and computing a suggestion to milliseconds on the main thread (bench/limits, the event-loop test).
   */
  parameters: 1_000,
  /**
   * The largest config text (a file, or a REST body), in bytes: ample for a real config (a few KB),
   * small enough that parsing, validating and storing the largest one stays to milliseconds.
   */
  configBytes: 262_144,
} as const;

/** Letters, digits, `-` and `_`: names of experiments, parameters and registered models. */
export const NAME_PATTERN = /^[A-Za-z0-9_-]+$/;

/** The rule of {@link NAME_PATTERN} in words. */
export const NAME_PATTERN_HINT = 'letters, digits, - and _';

/** What a name that breaks {@link NAME_PATTERN} or the length limit is told. */
export const NAME_RULE = `must be letters, digits, - and _ (at most ${CONFIG_LIMITS.nameLength})`;

/** Whether `value` is a usable name of an experiment, model or alias (it is also a folder name). */
export function isValidName(value: unknown): value is string {
  return typeof value === 'string' && NAME_PATTERN.test(value) && value.length <= CONFIG_LIMITS.nameLength;
}
