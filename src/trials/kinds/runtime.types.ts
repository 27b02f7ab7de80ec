import { Params } from '../../search/space/space.types';

/** Final or intermediate metric values by name (`val_loss`, `val_accuracy`, ...). */
import type { Metrics } from '../../models/metrics/metrics.types';

/**
 * What a running trial can do, inside its worker thread. The same object is handed to a user's
 * `objective(params, ctx)` and to the built-in runtimes.
 */
export interface TrialContext {
  /** The trial's database id. */
  readonly trialId: number;
  /** The trial's number within its experiment (1, 2, ...). */
  readonly trialNumber: number;
  /** The name of the metric being optimised (a number returned by an objective is this metric). */
  readonly objectiveMetric: string;
  /** A seed derived from the experiment seed and trial number, for replayable training. */
  readonly seed: number;
  /** A folder, already created, where the runtime writes the trial's artifact files. */
  readonly artifactDir: string;
  /** The trial's memory bound in MB (a worker thread's heap is held to it by the pool; a command's processes by the runtime). */
  readonly memoryMb: number;
  /** Aborted when the trial is cancelled or runs past its timeout. */
  readonly signal: AbortSignal;
  /**
   * Records intermediate metrics at `step` (an epoch, an iteration). Resolves once the main thread
   * has stored them and decided whether the trial should be pruned; `shouldPrune()` then answers.
   */
  report(step: number, metrics: Metrics): Promise<void>;
  /** Whether the pruner wants this trial stopped, as of the last acknowledged report. */
  shouldPrune(): boolean;
}

/** What a runtime returns when a trial ends without throwing. */
export interface TrialOutcome {
  /** Final metrics; the objective metric must be among them unless the trial was pruned. */
  metrics: Metrics;
  /** The compute backend the trial ran on (`wasm`, `cpu`, `tensorflow`, ...), when it matters. */
  backend?: string;
  /** Files written under `ctx.artifactDir`, relative to it. */
  artifactFiles?: string[];
  /** True when the runtime stopped early because `ctx.shouldPrune()` said so. */
  pruned?: boolean;
}

/**
 * One kind of trial (`tfjs`, `module`, `command`). Runs inside a worker thread; never touches the
 * database. `spec` is the validated `trial` section of the experiment config, paths already absolute.
 */
export interface TrialRuntime<Spec = unknown> {
  readonly kind: string;
  run(spec: Spec, params: Params, ctx: TrialContext): Promise<TrialOutcome>;
}
