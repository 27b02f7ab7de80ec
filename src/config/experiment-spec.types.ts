import { Direction } from '../search/history.types';
import { SearchSpace } from '../search/space/space.types';

/**
 * The `trial` section as the common config sees it: a kind, and fields that kind's own rule
 * defines (each trial kind declares its full section type in its folder, `src/trials/kinds/`).
 */
export interface TrialConfig {
  kind: string;
}

/** The optional `registry` section: where the best model goes when the experiment ends. */
export interface RegistryConfig {
  model: string;
  promote: 'best';
  alias: string;
  force: boolean;
  quantize?: 'uint8' | 'float16';
}

/** A validated experiment, defaults filled in; the same for config files and REST bodies. */
export interface ExperimentSpec {
  name: string;
  description?: string;
  objective: { metric: string; direction: Direction };
  space: SearchSpace;
  search: { algorithm: string; seed: number; settings: Record<string, unknown> };
  budget: { maxTrials: number; parallelism: number; trialTimeoutSec: number; maxFailedTrials: number };
  pruning: { algorithm: string; settings: Record<string, unknown> };
  trial: TrialConfig;
  registry?: RegistryConfig;
}
