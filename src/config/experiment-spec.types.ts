import { Direction } from '../search/history.types';
import { SearchSpace } from '../search/space/space.types';

/**
 * The `trial` section as the common config sees it: a kind, and fields that kind's own rule
 * defines (each trial kind declares its full section type in its folder, `src/trials/kinds/`).
 */
export interface TrialConfig {
  kind: string;
  /** What one trial may use; defaults come from the service's settings. */
  resources?: TrialResources;
}

/** The resources one trial may use. */
export interface TrialResources {
  /** Memory bound in MB: the heap of a worker thread, the resident memory of a command's processes. */
  memoryMb?: number;
  /** GPUs the trial needs (0 or 1): with a queue, such trials go only to GPU slots. */
  gpu?: number;
}

/** Which failures a retry policy runs again: `crash` (a thread, process or machine died), `timeout`, `error`. */
export type RetryClass = 'crash' | 'timeout' | 'error';

/** One objective: a metric the trials report and the direction it is optimised in. */
export interface ObjectiveConfig {
  metric: string;
  direction: Direction;
}

/** A bound on a metric the trials report: `max` (at most) or `min` (at least). */
export interface ConstraintConfig {
  metric: string;
  max?: number;
  min?: number;
}

/** `registry.promote` as a rule: the best trial on one metric among those within bounds on others. */
export interface PromotionRule {
  maximize?: string;
  minimize?: string;
  subjectTo?: Record<string, { max?: number; min?: number }>;
}

/** The optional `registry` section: where the best model goes when the experiment ends. */
export interface RegistryConfig {
  model: string;
  /** `best` (the best trial by the objective) or a {@link PromotionRule}. */
  promote: 'best' | PromotionRule;
  alias: string;
  force: boolean;
  quantize?: 'uint8' | 'float16';
  /** Also store a magnitude-pruned, fine-tuned variant as its own version (the alias, if named, points at it). */
  prune?: { sparsity: number; fineTuneEpochs?: number; alias?: string };
  /** Also store a smaller MLP trained on the model's soft labels as its own version. */
  distill?: { into: Record<string, string | number | boolean>; temperature?: number; alias?: string };
}

/** A validated experiment, defaults filled in; the same for config files and REST bodies. */
export interface ExperimentSpec {
  name: string;
  description?: string;
  /** The objective, or the first of `objectives` when there are several. */
  objective: ObjectiveConfig;
  /** Two or three objectives whose Pareto front is searched; absent with one objective. */
  objectives?: ObjectiveConfig[];
  /** Bounds trials must meet to count as feasible. */
  constraints?: ConstraintConfig[];
  space: SearchSpace;
  search: {
    algorithm: string;
    seed: number;
    settings: Record<string, unknown>;
    /** Another experiment whose finished trials the sampler reads as history (not run again, not counted in the budget). */
    warmStart?: { experiment: number };
  };
  budget: {
    maxTrials: number;
    parallelism: number;
    trialTimeoutSec: number;
    maxFailedTrials: number;
    /** How many times a failed trial's parameters may run again (as new trials linked to it). */
    maxRetries: number;
    retryOn: RetryClass[];
    /** Its share of a process's slots against other experiments. */
    priority: number;
  };
  pruning: { algorithm: string; settings: Record<string, unknown> };
  trial: TrialConfig;
  registry?: RegistryConfig;
}
