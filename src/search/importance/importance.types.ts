import { Direction } from '../history.types';
import { Params, SearchSpace } from '../space/space.types';

/** The two ways importance is measured: PED-ANOVA (the default) or fANOVA on a random forest. */
export type ImportanceMethod = 'ped-anova' | 'fanova';

/** The importance methods, default first. */
export const IMPORTANCE_METHODS: readonly ImportanceMethod[] = ['ped-anova', 'fanova'];

/** One finished trial as importance reads it: its parameters (active ones only) and its objective value. */
export interface ScoredTrial {
  params: Params;
  value: number;
}

/** What an importance evaluator is given. */
export interface ImportanceInput {
  space: SearchSpace;
  trials: readonly ScoredTrial[];
  direction: Direction;
}

/** One parameter's share of the importance; the shares of all parameters sum to 1 (or are all 0). */
export interface ParamImportance {
  name: string;
  importance: number;
  /** How many of the trials had this parameter active. */
  activeTrials: number;
}

/** Parameters ranked by importance, most important first. */
export interface ImportanceResult {
  method: ImportanceMethod;
  trials: number;
  params: ParamImportance[];
}

/** Scales raw scores so they sum to 1 and ranks them, ties by declaration order. */
export function rankScores(method: ImportanceMethod, space: SearchSpace, trials: readonly ScoredTrial[], raw: readonly number[]): ImportanceResult {
  const names = Object.keys(space);
  const clean = raw.map((r) => (Number.isFinite(r) && r > 0 ? r : 0));
  const total = clean.reduce((a, b) => a + b, 0);
  const params = names.map((name, i) => ({
    name,
    importance: total > 0 ? clean[i] / total : 0,
    activeTrials: trials.filter((t) => t.params[name] !== undefined).length,
    order: i,
  }));
  params.sort((a, b) => b.importance - a.importance || a.order - b.order);
  return { method, trials: trials.length, params: params.map(({ order: _order, ...p }) => p) };
}
