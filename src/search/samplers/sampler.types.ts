import { Direction, HistoryTrial } from '../history.types';
import { Rng } from '../rng';
import { Params, SearchSpace } from '../space/space.types';
import type { SettingRules } from './settings-reader';

/** A problem found in user input, named by its full path in the config (`search.settings.xi`, `space.lr`). */
export interface SettingProblem {
  path: string;
  message: string;
}

/** Everything a sampler may look at to make suggestions: pure data, no I/O. */
export interface SuggestInput<S = Record<string, unknown>> {
  space: SearchSpace;
  direction: Direction;
  /**
   * With two or three objectives, or with constraints, the direction of each objective (the first
   * is `direction`); history trials then carry `values` and `violation`. Absent otherwise.
   */
  objectives?: readonly Direction[];
  /** Finished trials, in trial-number order. */
  history: readonly HistoryTrial[];
  /** Parameters of trials that are waiting or running now. */
  pending: readonly Params[];
  /** How many suggestions are wanted (a free slot each). */
  count: number;
  rng: Rng;
  /**
   * The experiment's seed, for state that must stay fixed across calls (a quasi-random sequence's
   * scramble); per-call randomness comes from `rng`, which changes with every trial.
   */
  seed?: number;
  /** Settings already checked by `validateSettings`, with defaults filled in. */
  settings: S;
  /** Total trial budget of the experiment, for samplers that plan (e.g. initial design size). */
  maxTrials: number;
}

/**
 * A search algorithm. `suggest` is a pure function of its input: the same input (seed included)
 * gives the same output. Returning fewer than `count` suggestions (or none) means the space is
 * exhausted for now; the scheduler stops asking once nothing is running and nothing comes back.
 */
export interface Sampler<S = Record<string, unknown>> {
  /** The `search.algorithm` name users write. */
  readonly name: string;
  /** A one-line description for docs and the OpenAPI schema. */
  readonly summary: string;
  /**
   * True when a suggestion can take long enough (tens of milliseconds or more) to be computed in a
   * worker thread so the service stays responsive; the output is the same either way.
   */
  readonly costly?: boolean;
  /**
   * False for a sampler that never looks at `history` (random search): the scheduler then keeps no
   * record per finished trial for it, so its memory does not grow with the trials ever run.
   */
  readonly readsHistory?: boolean;
  /** True for a sampler that searches for the Pareto front of several objectives (it reads `objectives` and `values`). */
  readonly multiObjective?: boolean;
  /** The settings it takes, with their defaults and ranges: read by `validateSettings` and by the config schema. */
  readonly settingRules: SettingRules;
  /**
   * Checks user settings against the space, fills in defaults, and returns either the settings or
   * every problem found (full config paths, e.g. `search.settings.xi`; see `SAMPLER_SETTINGS_PATH`).
   */
  validateSettings(settings: Record<string, unknown>, space: SearchSpace): { settings: S; problems: SettingProblem[] };
  /** Proposes up to `input.count` parameter sets. */
  suggest(input: SuggestInput<S>): Params[];
}

/** Where sampler settings sit in an experiment config; prefix of their problem paths. */
export const SAMPLER_SETTINGS_PATH = 'search.settings';
