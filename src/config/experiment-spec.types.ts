import { SearchSpace } from '../search/space/space.types';

/** Whether a larger or a smaller objective value is better. */
export type Direction = 'minimize' | 'maximize';

/** A built-in TensorFlow.js model trained on a CSV dataset. Paths are absolute once loaded. */
export interface TfjsTrialConfig {
  kind: 'tfjs';
  task: 'classification' | 'regression';
  model: 'mlp';
  dataset: { path: string; target: string; validation: { fraction: number; seed: number } };
  epochs: number;
  batchSize: number;
}

/** A user's JavaScript module exporting `objective(params, ctx)`. */
export interface ModuleTrialConfig {
  kind: 'module';
  module: string;
  /** Name of the exported function; `objective` unless given. */
  export: string;
}

/** A user's command; parameters substituted as `{name}` and passed as `HPO_PARAM_<NAME>`. */
export interface CommandTrialConfig {
  kind: 'command';
  command: string[];
  cwd?: string;
  env?: Record<string, string>;
}

/** The `trial` section: one of three kinds. */
export type TrialConfig = TfjsTrialConfig | ModuleTrialConfig | CommandTrialConfig;

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

/** One thing wrong with a config, named by its path (`space.lr.low`). */
export interface ConfigProblem {
  path: string;
  message: string;
}
