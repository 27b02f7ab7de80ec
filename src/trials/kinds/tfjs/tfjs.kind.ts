import { basename } from 'node:path';
import { nativeBackendAvailable } from '../../../models/tfjs/native-binding';
import type { TrialKind } from '../trial-kind.types';
import { datasetNotices, datasetProblems } from './dataset-check';
import { TFJS_SECTION, TfjsTrialConfig } from './tfjs.config';
import { TFJS_RULES } from './tfjs.rules';
import { TFJS_DERIVED_SPACE } from './tfjs-model';

/** The probe a service uses unless a test replaces it: whether a native TensorFlow.js binding would load. */
export const nativeBindingProbe = { nativeTfjsBinding: () => nativeBackendAvailable() };

/**
 * A built-in TensorFlow.js model trained on a CSV dataset. Its trials produce a model that can be
 * registered and served. When a native binding is installed, one trial runs per process at a time:
 * the binding loads in one worker thread per process only (tfjs issues #8388, #2079).
 */
export const tfjsKind: TrialKind<TfjsTrialConfig> = {
  name: 'tfjs',
  summary: 'A built-in model (linear, mlp, cnn, forest, or auto across them) trained on a CSV dataset.',
  section: TFJS_SECTION,
  producesModel: true,
  runsUserCode: false,
  crossRules: TFJS_RULES,
  derivedSpace: TFJS_DERIVED_SPACE,
  resolvePaths: (section, paths) => {
    const dataset = section.dataset as Partial<TfjsTrialConfig['dataset']> | undefined;
    if (typeof dataset !== 'object' || dataset === null || typeof dataset.path !== 'string') return section;
    const path = paths.path('trial.dataset.path', dataset.path, { root: 'data', type: 'file' });
    return { ...section, dataset: { ...section.dataset, path } };
  },
  inputPaths: (section) =>
    typeof section.dataset?.path === 'string' && section.dataset.path.length > 0
      ? [{ path: 'trial.dataset.path', file: section.dataset.path, type: 'file' }]
      : [],
  inputProblems: (_spec, section) => datasetProblems(section),
  inputNotices: (section) => datasetNotices(section),
  slotCap: (probe) => (probe.nativeTfjsBinding() ? 1 : undefined),
  datasetLabel: (section) => basename(section.dataset.path),
  modelData: (section) => ({ task: section.task, dataset: section.dataset }),
  loadRuntime: async () => (await import('./tfjs.runtime')).tfjsRuntime,
};
