import { Direction, StepValue } from '../history.types';
import { SettingProblem } from '../samplers/sampler.types';
import type { SettingRules } from '../samplers/settings-reader';

/** Another trial of the same experiment, as a pruner sees it. */
export interface PeerTrial {
  id: number;
  state: 'RUNNING' | 'COMPLETE' | 'PRUNED' | 'FAILED';
  /** Intermediate values of the objective metric, ordered by step. */
  intermediate: readonly StepValue[];
}

/** Everything a pruner may look at to decide whether a trial stops now: pure data, no I/O. */
export interface PruneInput<S = Record<string, unknown>> {
  direction: Direction;
  /** The trial being decided on; its last reported step is the one being judged. */
  trial: { id: number; intermediate: readonly StepValue[] };
  /** Every other trial of the experiment that has started, with what it reported. */
  peers: readonly PeerTrial[];
  /** Settings already checked by `validateSettings`, defaults filled in. */
  settings: S;
}

/**
 * An early-stopping rule. `shouldPrune` is pure and deterministic. A trial that reported nothing
 * is never pruned.
 */
export interface Pruner<S = Record<string, unknown>> {
  /** The `pruning.algorithm` name users write. */
  readonly name: string;
  /** A one-line description for docs and the OpenAPI schema. */
  readonly summary: string;
  /**
   * False for a rule that never looks at peers (no early stopping): the scheduler then keeps no
   * intermediate values of finished trials for it.
   */
  readonly readsPeers?: boolean;
  /** The settings it takes, with their defaults and ranges: read by `validateSettings` and by the config schema. */
  readonly settingRules: SettingRules;
  /** Checks settings, fills defaults; problem paths are full config paths (`pruning.settings.x`). */
  validateSettings(settings: Record<string, unknown>): { settings: S; problems: SettingProblem[] };
  /** Whether the trial should stop at its last reported step. */
  shouldPrune(input: PruneInput<S>): boolean;
}

/** Where pruner settings sit in an experiment config; prefix of their problem paths. */
export const PRUNER_SETTINGS_PATH = 'pruning.settings';
