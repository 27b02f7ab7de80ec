import { Params } from '../space/space.types';
import { decodeParams } from '../space/unit-cube';
import { NO_SETTINGS, readSettings } from './settings-reader';
import { Sampler, SAMPLER_SETTINGS_PATH } from './sampler.types';

/** Independent uniform draws in the unit cube, decoded through the shared transform. */
export const randomSampler: Sampler<Record<string, never>> = {
  name: 'random',
  summary: 'Independent uniform sampling (log-uniform for log parameters); honours steps and conditions.',
  readsHistory: false,
  settingRules: NO_SETTINGS,
  validateSettings: (settings) => readSettings(NO_SETTINGS, settings, SAMPLER_SETTINGS_PATH),
  suggest({ space, count, rng }) {
    const dims = Object.keys(space).length;
    const out: Params[] = [];
    for (let k = 0; k < count; k++) {
      const point = new Float64Array(dims);
      for (let i = 0; i < dims; i++) point[i] = rng.next();
      out.push(decodeParams(space, point));
    }
    return out;
  },
};
