import type { ExperimentSpec, TrialConfig } from '../../config/experiment-spec.types';
import { commandKind } from './command/command.kind';
import { moduleKind } from './module/module.kind';
import { tfjsKind } from './tfjs/tfjs.kind';
import type { TrialKind } from './trial-kind.types';

/**
 * Every trial kind by the name users write in `trial.kind`. A kind is one folder under
 * `src/trials/kinds/` and one line here: config validation, the JSON Schema, input checks, slot
 * rules and the worker's runtime all come from the entry.
 */
export const TRIAL_KINDS: Readonly<Record<string, TrialKind<any>>> = {
  tfjs: tfjsKind,
  module: moduleKind,
  command: commandKind,
};

/** The kind registered under `name`, or undefined. */
export function findTrialKind(name: string): TrialKind<any> | undefined {
  return Object.prototype.hasOwnProperty.call(TRIAL_KINDS, name) ? TRIAL_KINDS[name] : undefined;
}

/** The kind of a validated spec's trials (validation guarantees it is registered). */
export function kindOf<C extends TrialConfig>(spec: Pick<ExperimentSpec, 'trial'>): TrialKind<C> {
  const kind = findTrialKind(spec.trial.kind);
  if (!kind) throw new Error(`unknown trial kind ${spec.trial.kind}`);
  return kind as TrialKind<C>;
}
