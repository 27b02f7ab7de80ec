import { Direction, HistoryTrial } from '../../search/history.types';
import { findSampler } from '../../search/samplers/registry';
import { createRng } from '../../search/rng';
import { Params, SearchSpace } from '../../search/space/space.types';

/**
 * One request for suggestions in plain, cloneable data: the generator is given as (seed, stream)
 * and rebuilt where it runs, so a worker thread and the main thread give the same output.
 */
export interface SuggestTask {
  algorithm: string;
  space: SearchSpace;
  direction: Direction;
  /** With several objectives or constraints: each objective's direction (see `SuggestInput.objectives`). */
  objectives?: readonly Direction[];
  history: readonly HistoryTrial[];
  pending: readonly Params[];
  count: number;
  seed: number;
  stream: number;
  settings: Record<string, unknown>;
  maxTrials: number;
}

/** Runs a suggestion request with the registered sampler. */
export function runSuggestTask(task: SuggestTask): Params[] {
  const sampler = findSampler(task.algorithm);
  if (!sampler) throw new Error(`unknown search algorithm ${task.algorithm}`);
  return sampler.suggest({ ...task, rng: createRng(task.seed, task.stream) });
}
