import { resolveConfigPath } from '../../../config/config-loader';
import type { TrialKind } from '../trial-kind.types';
import { MODULE_SECTION, ModuleTrialConfig } from './module.config';

/** A user's JavaScript objective, imported in the worker thread that runs the trial. */
export const moduleKind: TrialKind<ModuleTrialConfig> = {
  name: 'module',
  summary: 'A JavaScript module exporting objective(params, ctx).',
  section: MODULE_SECTION,
  producesModel: false,
  runsUserCode: true,
  resolvePaths: (section, baseDir) => (typeof section.module === 'string' ? { ...section, module: resolveConfigPath(baseDir, section.module) } : section),
  inputPaths: (section) =>
    typeof section.module === 'string' && section.module.length > 0 ? [{ path: 'trial.module', file: section.module, type: 'file' }] : [],
  loadRuntime: async () => (await import('./module.runtime')).moduleRuntime,
};
