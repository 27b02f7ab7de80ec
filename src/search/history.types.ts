import { Params } from './space/space.types';

/** Whether a larger or a smaller objective value is better. */
export type Direction = 'minimize' | 'maximize';

/** The states a finished trial can be in, as search code sees them. */
export type FinishedState = 'COMPLETE' | 'PRUNED' | 'FAILED';

/** One intermediate value of the objective metric. */
export interface StepValue {
  step: number;
  value: number;
}

/** A finished trial as search code sees it: identified by id, never by its parameter values. */
export interface HistoryTrial {
  id: number;
  number: number;
  state: FinishedState;
  params: Params;
  /** The objective value; null for FAILED trials and for PRUNED trials that reported nothing. */
  value: number | null;
  /** Intermediate values of the objective metric, ordered by step. */
  intermediate: readonly StepValue[];
  /** With several objectives: every objective's value, in the order of `SuggestInput.objectives` (null where one is missing). */
  values?: readonly (number | null)[];
  /** How far it breaks the experiment's constraints, summed over them; 0 or absent when it meets them all. */
  violation?: number;
}
