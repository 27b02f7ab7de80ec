import type { DerivedSpace } from '../../../config/experiment.schema';
import { isRecord } from '../../../config/schema/problem-collector';
import { AUTO_MODEL, autoSpace, FAMILY_PARAMETER, familyNamed } from '../../../models/families/registry';
import type { ModelFamily } from '../../../models/families/family.types';
import { DEFAULT_EARLY_STOPPING, EarlyStopping } from '../../../models/training/early-stopping';
import type { Params } from '../../../search/space/space.types';
import type { TfjsTrialConfig } from './tfjs.config';

/** The model of a tfjs trial whose config names none. */
export const DEFAULT_TFJS_MODEL = 'mlp';

/** The shape part of a raw `trial.dataset.shape`, when it is a list of positive integers. */
function declaredShape(trial: Record<string, unknown>): number[] | undefined {
  const shape = isRecord(trial.dataset) ? trial.dataset.shape : undefined;
  return Array.isArray(shape) && shape.every((d) => Number.isInteger(d) && d > 0) ? (shape as number[]) : undefined;
}

/**
 * `model: auto` without a `space`: the conditional space over every family that fits the data
 * (the CNN only when `dataset.shape` is declared), written into the config as if the user had.
 */
export const TFJS_DERIVED_SPACE: DerivedSpace = {
  when: { properties: { trial: { properties: { model: { const: AUTO_MODEL } }, required: ['model'] } } },
  derive(raw) {
    const trial = isRecord(raw.trial) ? raw.trial : undefined;
    if (!trial || trial.model !== AUTO_MODEL) return undefined;
    const task = trial.task === 'regression' ? 'regression' : 'classification';
    return autoSpace({ task, inputShape: declaredShape(trial) }) as unknown as Record<string, unknown>;
  },
};

/** The family a trial trains and the parameters meant for it: under `model: auto`, `family` picks it and is removed. */
export function familyOfTrial(spec: TfjsTrialConfig, params: Params): { family: ModelFamily; params: Params } {
  if (spec.model !== AUTO_MODEL) return { family: familyNamed(spec.model), params };
  const { [FAMILY_PARAMETER]: name, ...rest } = params;
  if (typeof name !== 'string') throw new Error(`model: auto needs the ${FAMILY_PARAMETER} parameter, got ${JSON.stringify(name)}`);
  return { family: familyNamed(name), params: rest };
}

/** The early stopping a trial applies: the config's when given (unless `enabled: false`), else the default under `model: auto`. */
export function earlyStoppingOf(spec: TfjsTrialConfig): EarlyStopping | undefined {
  const given = spec.earlyStopping;
  if (given) return given.enabled ? { metric: given.metric, patience: given.patience, minDelta: given.minDelta } : undefined;
  return spec.model === AUTO_MODEL ? DEFAULT_EARLY_STOPPING : undefined;
}
