import { readSettings } from '../samplers/settings-reader';
import { Pruner, PRUNER_SETTINGS_PATH } from './pruner.types';

/** Never stops a trial early; what runs when an experiment has no `pruning` section. */
export const nonePruner: Pruner<Record<string, never>> = {
  name: 'none',
  summary: 'No early stopping.',
  validateSettings: (settings) => readSettings({}, settings, PRUNER_SETTINGS_PATH),
  shouldPrune: () => false,
};
