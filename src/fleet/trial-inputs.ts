import type { TrialConfig } from '../config/experiment-spec.types';
import { findTrialKind } from '../trials/kinds/registry';
import type { TrialInput } from './fleet-protocol';

/** A file a trial config names, by the field (within the `trial` section, dotted) that names it. */
export interface InputPath {
  field: string;
  path: string;
}

/**
 * The files a trial reads that a worker on another machine must be sent, as its kind declares
 * them (a module trial's module, a tfjs trial's dataset). Folders are not sent: a command trial's
 * `cwd` and programs must exist on the worker's machine.
 */
export function inputPathsOf(trial: TrialConfig): InputPath[] {
  const kind = findTrialKind(trial.kind);
  if (!kind) return [];
  return kind
    .inputPaths(trial)
    .filter((p) => p.type === 'file')
    .map((p) => ({ field: p.path.replace(/^trial\./, ''), path: p.file }));
}

/** The trial config with each input's field pointing at the worker's local copy (`local` by sha256). */
export function withLocalInputs(trial: TrialConfig, inputs: readonly TrialInput[], local: ReadonlyMap<string, string>): TrialConfig {
  const copy = structuredClone(trial) as unknown as Record<string, unknown>;
  for (const input of inputs) {
    const path = local.get(input.sha256);
    if (!path) throw new Error(`input ${input.name} (${input.sha256}) was not fetched`);
    const keys = input.field.split('.');
    let at = copy;
    for (const key of keys.slice(0, -1)) {
      if (!at[key] || typeof at[key] !== 'object') throw new Error(`the trial config has no field ${input.field}`);
      at = at[key] as Record<string, unknown>;
    }
    at[keys[keys.length - 1]] = path;
  }
  return copy as unknown as TrialConfig;
}
