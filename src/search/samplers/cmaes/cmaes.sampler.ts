import { Direction, HistoryTrial } from '../../history.types';
import { cardinality } from '../../space/membership';
import { Params, SearchSpace } from '../../space/space.types';
import { decodeParams, encodeParams } from '../../space/unit-cube';
import { paramsKey } from '../grid.sampler';
import { readSettings, SettingRules } from '../settings-reader';
import { Sampler, SAMPLER_SETTINGS_PATH, SettingProblem } from '../sampler.types';
import { cmaConstants, CmaState, initialState, samplePoint, updateState } from './cma-state';
import { symmetricEigen } from './symmetric-eigen';

/** Settings of the CMA-ES sampler. */
export interface CmaesSettings {
  /** Initial step size in the unit cube. */
  sigma0: number;
  /** Points per generation (λ); 0 means `4 + ⌊3 ln d⌋`. */
  populationSize: number;
}

/** Default CMA-ES settings: Optuna's `sigma0` of a sixth of the range, and the textbook λ. */
export const CMAES_DEFAULTS: Readonly<CmaesSettings> = { sigma0: 1 / 6, populationSize: 0 };

/** A search distribution whose widest axis is below this (in the unit cube) has converged; CMA-ES restarts. */
export const CMAES_RESTART_WIDTH = 1e-6;

const CMAES_RULES: SettingRules = {
  sigma0: { type: 'number', default: CMAES_DEFAULTS.sigma0, min: 0, exclusiveMin: true, max: 1, description: 'initial step size as a fraction of each range' },
  populationSize: { type: 'integer', default: CMAES_DEFAULTS.populationSize, min: 0, max: 1000, description: 'points per generation; 0 means 4 + 3 ln d' },
};

function validateCmaes(settings: Record<string, unknown>, space: SearchSpace): { settings: CmaesSettings; problems: SettingProblem[] } {
  const result = readSettings<CmaesSettings>(CMAES_RULES, settings, SAMPLER_SETTINGS_PATH);
  const unsupported = Object.entries(space)
    .filter(([, spec]) => spec.type === 'categorical' || spec.when !== undefined)
    .map(([name]) => name);
  if (unsupported.length > 0) {
    result.problems.push({
      path: 'search.algorithm',
      message: `cmaes needs numeric parameters without conditions (not: ${unsupported.join(', ')}); use evolution for mixed or conditional spaces`,
    });
  }
  if (result.settings.populationSize === 1)
    result.problems.push({ path: `${SAMPLER_SETTINGS_PATH}.populationSize`, message: 'must be 0 (auto) or at least 2' });
  return result;
}

/**
 * Rebuilds the CMA-ES distribution by replaying the complete trials, in trial-number order, in
 * generations of λ: the history is the state. A converged distribution restarts from the start.
 */
export function replayState(space: SearchSpace, history: readonly HistoryTrial[], direction: Direction, settings: CmaesSettings): CmaState {
  const n = Object.keys(space).length;
  const k = cmaConstants(n, settings.populationSize);
  const sign = direction === 'maximize' ? -1 : 1;
  const done = history.filter((t) => t.state === 'COMPLETE' && t.value !== null && Number.isFinite(t.value));
  let state = initialState(n, settings.sigma0);
  for (let start = 0; start + k.lambda <= done.length; start += k.lambda) {
    const generation = done
      .slice(start, start + k.lambda)
      .map((t) => ({ x: encodeParams(space, t.params), score: sign * (t.value as number) }))
      .sort((a, b) => a.score - b.score);
    state = updateState(
      state,
      k,
      generation.map((g) => g.x),
    );
    const widest = Math.sqrt(Math.max(...symmetricEigen(state.cov, n).values));
    if (!(state.sigma * widest > CMAES_RESTART_WIDTH) || !Number.isFinite(state.sigma)) state = initialState(n, settings.sigma0);
  }
  return state;
}

/** Attempts at drawing a point not yet evaluated or pending before accepting a repeat. */
const MAX_DRAWS = 20;

/**
 * CMA-ES (covariance matrix adaptation) for numeric spaces: floats, and integers or steps relaxed
 * to the continuous cube and snapped on decoding. Fits smooth, correlated objectives, where it
 * refines faster than the genetic algorithm. Stateless: the distribution is replayed from the
 * history on every call; pending trials are avoided as duplicates only.
 */
export const cmaesSampler: Sampler<CmaesSettings> = {
  name: 'cmaes',
  summary: 'CMA-ES for numeric spaces without conditions; the distribution is replayed from the history.',
  settingRules: CMAES_RULES,
  validateSettings: validateCmaes,
  suggest({ space, direction, history, pending, count, rng, settings }) {
    const state = replayState(space, history, direction, settings);
    const taken = new Set<string>([...history.map((t) => paramsKey(t.params)), ...pending.map(paramsKey)]);
    const out: Params[] = [];
    for (let c = 0; c < count; c++) {
      let params = decodeParams(space, samplePoint(state, rng));
      for (let t = 1; t < MAX_DRAWS && taken.has(paramsKey(params)); t++) params = decodeParams(space, samplePoint(state, rng));
      if (taken.has(paramsKey(params)) && cardinality(space) <= taken.size) break;
      out.push(params);
      taken.add(paramsKey(params));
    }
    return out;
  },
};
