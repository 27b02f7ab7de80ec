import type { TrialKind } from '../trial-kind.types';
import { MODULE_SECTION, ModuleTrialConfig } from './module.config';

/**
 * A user's JavaScript objective, imported in the worker thread that runs the trial and nowhere
 * else: validation only resolves and checks its path, so a module never runs in the service's main
 * thread (the runtime is loaded by the worker, see `loadRuntime`).
 */
export const moduleKind: TrialKind<ModuleTrialConfig> = {
  name: 'module',
  summary: 'A JavaScript module exporting objective(params, ctx).',
  section: MODULE_SECTION,
  producesModel: false,
  runsUserCode: true,
  resolvePaths: (section, paths) =>
    typeof section.module === 'string' ? { ...section, module: paths.path('trial.module', section.module, { root: 'code', type: 'file' }) } : section,
  inputPaths: (section) =>
    typeof section.module === 'string' && section.module.length > 0 ? [{ path: 'trial.module', file: section.module, type: 'file' }] : [],
  loadRuntime: async () => (await import('./module.runtime')).moduleRuntime,
};
