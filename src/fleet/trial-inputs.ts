import type { TrialConfig } from '../config/experiment-spec.types';
import type { TrialInput } from './fleet-protocol';

/** A file a trial config names, by the field that names it. */
export interface InputPath {
  field: TrialInput['field'];
  path: string;
}

/**
 * The files a trial reads that a worker on another machine must be sent: a module trial's module,
 * a tfjs trial's dataset. A command trial runs what the worker's machine has (its `cwd` and
 * programs must exist there), so it names none.
 */
export function inputPathsOf(trial: TrialConfig): InputPath[] {
  const t = trial as TrialConfig & { module?: string; dataset?: { path?: string } };
  if (t.kind === 'module' && typeof t.module === 'string') return [{ field: 'module', path: t.module }];
  if (t.kind === 'tfjs' && typeof t.dataset?.path === 'string') return [{ field: 'dataset.path', path: t.dataset.path }];
  return [];
}

/** The trial config with each input's field pointing at the worker's local copy (`local` by sha256). */
export function withLocalInputs(trial: TrialConfig, inputs: readonly TrialInput[], local: ReadonlyMap<string, string>): TrialConfig {
  const copy = structuredClone(trial) as TrialConfig & { module?: string; dataset?: { path: string } };
  for (const input of inputs) {
    const path = local.get(input.sha256);
    if (!path) throw new Error(`input ${input.name} (${input.sha256}) was not fetched`);
    if (input.field === 'module') copy.module = path;
    else if (copy.dataset) copy.dataset.path = path;
  }
  return copy;
}
