import { NO_SETTINGS, readSettings } from '../samplers/settings-reader';
import { Pruner, PRUNER_SETTINGS_PATH } from './pruner.types';

/** Never stops a trial early; what runs when an experiment has no `pruning` section. */
export const nonePruner: Pruner<Record<string, never>> = {
  name: 'none',
  summary: 'No early stopping.',
  readsPeers: false,
  settingRules: NO_SETTINGS,
  validateSettings: (settings) => readSettings(NO_SETTINGS, settings, PRUNER_SETTINGS_PATH),
  shouldPrune: () => false,
};
