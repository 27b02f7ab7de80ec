import { HistoryTrial } from '../../src/search/history.types';
import { createRng } from '../../src/search/rng';
import { findSampler } from '../../src/search/samplers/registry';
import { TestFunction } from './test-functions';

/** Evaluation counts at which simple regret is recorded. */
export const CHECKPOINTS = [10, 30, 100];

/** One run: an algorithm on a function with a seed and a budget. */
export interface RunSpec {
  algorithm: string;
  fn: string;
  seed: number;
  budget: number;
}

/** The outcome of one run: simple regret at each checkpoint within the budget, and the time spent suggesting. */
export interface RunResult extends RunSpec {
  regret: Record<number, number>;
  suggestSeconds: number;
}

/**
 * An algorithm name with optional settings, `bayes:priorMean=average+candidates=2048`: the
 * sampler, then `key=value` pairs joined by `+` (values read as JSON where they parse, else as
 * strings). Without them a run takes the defaults, the same for every function.
 */
export function parseAlgorithm(name: string): { sampler: string; given: Record<string, unknown> } {
  const [sampler, rest] = name.split(':', 2);
  const given: Record<string, unknown> = {};
  for (const pair of rest ? rest.split('+') : []) {
    const [key, raw] = pair.split('=', 2);
    try {
      given[key] = JSON.parse(raw);
    } catch {
      given[key] = raw;
    }
  }
  return { sampler, given };
}

/** Settings for a run: the defaults (or those named with the algorithm), the same for every function. */
function settingsFor(algorithm: string, fn: TestFunction): unknown {
  const { sampler, given } = parseAlgorithm(algorithm);
  const plain = findSampler(sampler)!.validateSettings(given, fn.space);
  if (plain.problems.length) throw new Error(`${algorithm}: ${plain.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  return plain.settings;
}

/**
 * Runs the real sampler in the service's ask/tell shape: one suggestion at a time, a fresh random
 * stream per trial number (as the scheduler does), the result appended to the history.
 */
export function runSearch(spec: RunSpec, fn: TestFunction): RunResult {
  const sampler = findSampler(parseAlgorithm(spec.algorithm).sampler);
  if (!sampler) throw new Error(`unknown algorithm ${spec.algorithm}`);
  const settings = settingsFor(spec.algorithm, fn);
  const history: HistoryTrial[] = [];
  const regret: Record<number, number> = {};
  let best = Infinity;
  let suggestSeconds = 0;
  for (let t = 1; t <= spec.budget; t++) {
    const started = process.hrtime.bigint();
    const [params] = sampler.suggest({
      space: fn.space,
      direction: 'minimize',
      history,
      pending: [],
      count: 1,
      rng: createRng(spec.seed, t),
      seed: spec.seed,
      settings,
      maxTrials: spec.budget,
    });
    suggestSeconds += Number(process.hrtime.bigint() - started) / 1e9;
    if (!params) break;
    const value = fn.evaluate(params);
    best = Math.min(best, value);
    history.push({ id: t, number: t, state: 'COMPLETE', params, value, intermediate: [] });
    if (CHECKPOINTS.includes(t)) regret[t] = Math.max(best - fn.optimum, 0);
  }
  return { ...spec, regret, suggestSeconds };
}
