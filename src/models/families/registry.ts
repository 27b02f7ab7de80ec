import type { CategoricalParam, SearchSpace } from '../../search/space/space.types';
import type { ArtifactFormat, ModelFamily, ModelShape } from './family.types';
import { cnnFamily } from './cnn/cnn.family';
import { forestArtifact, forestFamily } from './forest/forest.family';
import { linearFamily } from './linear/linear.family';
import { mlpFamily } from './mlp/mlp.family';

/** Every model family of the model kit, by name: the one list training, validation, the schema and serving read. */
export const MODEL_FAMILIES: Readonly<Record<string, ModelFamily>> = Object.fromEntries(
  [linearFamily, mlpFamily, cnnFamily, forestFamily].map((f) => [f.name, f]),
);

/** The artifact formats other than a TensorFlow.js layers model, by their `model.json` `format`. */
export const ARTIFACT_FORMATS: Readonly<Record<string, ArtifactFormat>> = { [forestArtifact.format]: forestArtifact };

/** The `model` value that searches across families. */
export const AUTO_MODEL = 'auto';
/** The parameter of the `model: auto` space that picks the family; every other parameter is active under the families that have it. */
export const FAMILY_PARAMETER = 'family';

/** The names a tfjs trial's `model` accepts. */
export const MODEL_NAMES: readonly string[] = [...Object.keys(MODEL_FAMILIES), AUTO_MODEL];

/** The family named `name`, or a message listing the known ones. */
export function familyNamed(name: string): ModelFamily {
  const family = MODEL_FAMILIES[name];
  if (!family) throw new Error(`unknown model family '${name}' (known: ${Object.keys(MODEL_FAMILIES).join(', ')})`);
  return family;
}

/** The families that can learn from data of this shape (the CNN only when `dataset.shape` is declared). */
export function familiesFor(shape: Pick<ModelShape, 'task' | 'inputShape'>): ModelFamily[] {
  return Object.values(MODEL_FAMILIES).filter((f) => f.unfit(shape) === undefined);
}

/**
 * The one conditional space `model: auto` searches: `family` (categorical over the families that
 * fit the data), then each family's parameters, active only when `family` is one that has it. A
 * parameter several families share (`learning_rate`) is one dimension, active under each of them.
 */
export function autoSpace(shape: Pick<ModelShape, 'task' | 'inputShape'>): SearchSpace {
  const families = familiesFor(shape);
  const family: CategoricalParam = { type: 'categorical', values: families.map((f) => f.name) };
  const space: SearchSpace = { [FAMILY_PARAMETER]: family };
  const owners = new Map<string, string[]>();
  for (const f of families) {
    for (const [name, spec] of Object.entries(f.autoSpace)) {
      const seen = owners.get(name);
      if (seen && JSON.stringify(space[name]) !== JSON.stringify({ ...spec, when: space[name].when })) {
        throw new Error(`families ${seen[0]} and ${f.name} give ${name} different ranges under model: auto`);
      }
      owners.set(name, [...(seen ?? []), f.name]);
      space[name] = { ...spec, when: { [FAMILY_PARAMETER]: owners.get(name)! } };
    }
  }
  return space;
}

/** The parameters a space may name for a trial of `model` (every family's, plus `family`, under `auto`). */
export function knownParameters(model: string): string[] {
  if (model !== AUTO_MODEL) return Object.keys(MODEL_FAMILIES[model]?.hyperparameters ?? {});
  return [FAMILY_PARAMETER, ...new Set(Object.values(MODEL_FAMILIES).flatMap((f) => Object.keys(f.hyperparameters)))];
}
