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

/** The optional `registry` section: where the best model goes when the experiment ends. */
export interface RegistryConfig {
  model: string;
  promote: 'best';
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
  objective: { metric: string; direction: Direction };
  space: SearchSpace;
  search: { algorithm: string; seed: number; settings: Record<string, unknown> };
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
