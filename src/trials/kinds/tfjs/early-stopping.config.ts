import { boolean, integer, number, string } from '../../../config/schema/scalar.rules';
import { object } from '../../../config/schema/structure.rules';
import { DEFAULT_EARLY_STOPPING_METRIC, DEFAULT_EARLY_STOPPING_MIN_DELTA, DEFAULT_EARLY_STOPPING_PATIENCE } from '../../../models/training/early-stopping';

/** `trial.earlyStopping` of a tfjs trial. */
export interface EarlyStoppingConfig {
  /** False turns it off (also under `model: auto`). */
  enabled: boolean;
  metric: string;
  patience: number;
  minDelta: number;
}

/** Most epochs of patience a config may ask for. */
const MAX_PATIENCE = 10_000;

/** The rule of `trial.earlyStopping`. */
export const EARLY_STOPPING_SECTION = object({
  enabled: boolean().default(true).describe('false turns early stopping off (it is on by default for model: auto).'),
  metric: string()
    .default(DEFAULT_EARLY_STOPPING_METRIC)
    .describe('A validation metric the model reports; losses and errors improve downwards, the others upwards.'),
  patience: integer({ min: 1, max: MAX_PATIENCE })
    .default(DEFAULT_EARLY_STOPPING_PATIENCE)
    .describe("Epochs without improvement before the trial stops; the best epoch's weights are restored."),
  minDelta: number({ min: 0 }).default(DEFAULT_EARLY_STOPPING_MIN_DELTA).describe('Least change that counts as an improvement.'),
})
  .describe('Stop a trial once its metric stops improving and keep its best epoch; composes with pruning.')
  .as<EarlyStoppingConfig>();
