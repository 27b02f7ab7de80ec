import { literal, string } from '../../../config/schema/scalar.rules';
import { object, ObjectRule } from '../../../config/schema/structure.rules';

/** The exported function a module trial calls unless `export` names another. */
export const DEFAULT_MODULE_EXPORT = 'objective';

/** The `trial` section of a user's JavaScript module exporting `objective(params, ctx)`; the path is absolute once loaded. */
export interface ModuleTrialConfig {
  kind: 'module';
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
}).as<ModuleTrialConfig>();
