import { Direction, HistoryTrial } from '../../../src/search/history.types';
import { hypervolume } from '../../../src/search/multi/hypervolume';
import { createRng } from '../../../src/search/rng';
import { findSampler } from '../../../src/search/samplers/registry';
import { parseAlgorithm } from '../search-loop';
import { MultiFunction } from './multi-functions';

/** Evaluation counts at which the hypervolume is recorded. */
export const MULTI_CHECKPOINTS = [200, 500];

/** One multi-objective run: an algorithm on a problem with a seed. */
export interface MultiRunSpec {
  algorithm: string;
  fn: string;
  seed: number;
  budget: number;
}

/** The hypervolume of everything evaluated so far at each checkpoint, and the time spent suggesting. */
export interface MultiRunResult extends MultiRunSpec {
  hypervolume: Record<number, number>;
  suggestSeconds: number;
}

/** Runs the real sampler in the service's ask/tell shape with every objective minimised, one suggestion at a time. */
export function runMultiSearch(spec: MultiRunSpec, fn: MultiFunction): MultiRunResult {
  const { sampler: name, given } = parseAlgorithm(spec.algorithm);
  const sampler = findSampler(name);
  if (!sampler?.multiObjective) throw new Error(`${spec.algorithm} is not a multi-objective sampler`);
  const checked = sampler.validateSettings(given, fn.space);
  if (checked.problems.length) throw new Error(`${spec.algorithm}: ${checked.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  const objectives: Direction[] = Array.from({ length: fn.objectives }, () => 'minimize');
  const history: HistoryTrial[] = [];
  const points: number[][] = [];
  const result: Record<number, number> = {};
  let suggestSeconds = 0;
  for (let t = 1; t <= spec.budget; t++) {
    const started = process.hrtime.bigint();
    const [params] = sampler.suggest({
      space: fn.space,
      direction: 'minimize',
      objectives,
      history,
      pending: [],
      count: 1,
      rng: createRng(spec.seed, t),
      seed: spec.seed,
      settings: checked.settings,
      maxTrials: spec.budget,
    });
    suggestSeconds += Number(process.hrtime.bigint() - started) / 1e9;
    if (!params) break;
    const values = fn.evaluate(params);
    points.push(values);
    history.push({ id: t, number: t, state: 'COMPLETE', params, value: values[0], values, intermediate: [] });
    if (MULTI_CHECKPOINTS.includes(t)) result[t] = hypervolume(points, fn.reference);
  }
  return { ...spec, hypervolume: result, suggestSeconds };
}
