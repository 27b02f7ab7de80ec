import { SOBOL_MAX_DIMENSION, sobolPoints, sobolScramble } from '../numeric/sobol';
import { createRng } from '../rng';
import { Params } from '../space/space.types';
import { decodeParams } from '../space/unit-cube';
import { readSettings, SettingRules } from './settings-reader';
import { Sampler, SAMPLER_SETTINGS_PATH } from './sampler.types';

/** Settings of the Sobol sampler. */
export interface SobolSettings {
  /** Seed of the scramble; -1 (the default) takes the experiment's seed. */
  seed: number;
  scramble: boolean;
}

const SOBOL_RULES: SettingRules = {
  seed: {
    type: 'integer',
    default: -1,
    min: -1,
    max: 2 ** 32 - 1,
    description: "seed of the scramble; -1 takes the experiment's search.seed (the per-trial random stream cannot fix one sequence)",
  },
  scramble: { type: 'boolean', default: true, description: 'linear matrix scramble plus digital shift (unscrambled points start at the corner 0)' },
};

/**
 * Scrambled Sobol points (Joe–Kuo direction numbers, up to 52 parameters), decoded through the
 * shared unit-cube transform. The point index is the number of finished plus pending trials, so
 * the sampler is a pure function of the history. The scramble comes from `settings.seed` rather
 * than `rng`, because the scheduler gives every trial its own stream and the sequence must be one.
 */
export const sobolSampler: Sampler<SobolSettings> = {
  name: 'sobol',
  summary: 'Scrambled Sobol quasi-random sequence: evenly spread points, no model.',
  settingRules: SOBOL_RULES,
  validateSettings: (settings, space) => {
    const result = readSettings<SobolSettings>(SOBOL_RULES, settings, SAMPLER_SETTINGS_PATH);
    const d = Object.keys(space).length;
    if (d > SOBOL_MAX_DIMENSION) result.problems.push({ path: 'space', message: `the sobol sampler supports at most ${SOBOL_MAX_DIMENSION} parameters` });
    return result;
  },
  suggest({ space, history, pending, count, settings, seed }) {
    const d = Object.keys(space).length;
    const start = history.length + pending.length;
    const scramble = settings.scramble ? sobolScramble(d, createRng(settings.seed >= 0 ? settings.seed : (seed ?? 0), 0x50b01)) : undefined;
    const flat = sobolPoints(d, start, count, scramble);
    const out: Params[] = [];
    for (let k = 0; k < count; k++) out.push(decodeParams(space, flat.subarray(k * d, (k + 1) * d)));
    return out;
  },
};
