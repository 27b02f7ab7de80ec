import type { TrialResources } from '../../../config/experiment-spec.types';
import { literal, string, text } from '../../../config/schema/scalar.rules';
import { list, map, object, ObjectRule } from '../../../config/schema/structure.rules';
import { TRIAL_RESOURCES } from '../../../config/experiment.schema';

/** The `trial` section of a user's command; `{name}` in arguments and `HPO_PARAM_<NAME>` carry parameters. */
export interface CommandTrialConfig {
  kind: 'command';
  resources?: TrialResources;
  command: string[];
  /** The working directory; absolute once loaded (the config's folder unless given). */
  cwd?: string;
  env?: Record<string, string>;
}

/** The rule of the command `trial` section. */
export const COMMAND_SECTION: ObjectRule<CommandTrialConfig> = object({
  kind: literal('command'),
  command: list(text(), { minItems: 1, message: 'must be a non-empty list: the program and its arguments' }).describe(
    'The program and its arguments; {name} is replaced by the parameter. Report metrics with stdout lines `hpo: {"step": 3, "val_loss": 0.41}`.',
  ),
  cwd: string().optional().describe('Working directory; relative to the config file (or the service working directory for REST).'),
  env: map(text({ numbers: false }))
    .optional()
    .describe('Extra environment variables.'),
  resources: TRIAL_RESOURCES.optional(),
}).as<CommandTrialConfig>();
