import type { TrialResources } from '../../../config/experiment-spec.types';
import { literal, string } from '../../../config/schema/scalar.rules';
import { object, ObjectRule } from '../../../config/schema/structure.rules';
import { TRIAL_RESOURCES } from '../../../config/experiment.schema';

/** The exported function a module trial calls unless `export` names another. */
export const DEFAULT_MODULE_EXPORT = 'objective';

/** The `trial` section of a user's JavaScript module exporting `objective(params, ctx)`; the path is absolute once loaded. */
export interface ModuleTrialConfig {
  kind: 'module';
  resources?: TrialResources;
  module: string;
  /** Name of the exported function. */
  export: string;
}

/** The rule of the module `trial` section. */
export const MODULE_SECTION: ObjectRule<ModuleTrialConfig> = object({
  kind: literal('module'),
  module: string().describe('A JavaScript file (CommonJS or ESM); relative to the config file (or the service working directory for REST).'),
  export: string({ pattern: /^[A-Za-z_$][A-Za-z0-9_$]*$/, patternHint: 'a JavaScript identifier' })
    .default(DEFAULT_MODULE_EXPORT)
    .describe('The exported function: async (params, ctx) => number | metrics.'),
  resources: TRIAL_RESOURCES.optional(),
}).as<ModuleTrialConfig>();
