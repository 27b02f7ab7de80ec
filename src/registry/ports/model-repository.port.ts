import type { AliasRecord, ModelSummary, ModelVersionRecord, NewModelVersion } from '../model-records';

/** How a delete of a version ended. */
export type DeleteVersionOutcome = 'deleted' | 'aliased' | 'missing';

/**
 * The registry's records, declared by the registry and implemented by `src/storage`. Every change
 * that must not interleave with another (numbering a version, moving an alias, deleting a version
 * no alias holds) is one atomic step, safe with many writers.
 */
export interface ModelRepository {
  /** The id of a model, creating the model if it is new. */
  ensureModel(name: string, now: number): Promise<number>;
  modelId(name: string): Promise<number | undefined>;
  /**
   * Stores a new version numbered one past the highest the model has ever had and resolves to its
   * number. Numbers are never reused, not even after deletes or a failed promotion.
   */
  insertVersion(modelId: number, version: NewModelVersion, now: number): Promise<number>;
  /** Removes a version row outright (a promotion whose files could not be put in place); its number stays taken. */
  removeVersionRow(modelId: number, version: number): Promise<void>;
  version(modelId: number, version: number): Promise<ModelVersionRecord | undefined>;
  /** Versions of a model, newest first. */
  versions(modelId: number): Promise<ModelVersionRecord[]>;
  /** Aliases of a model, by name. */
  aliases(modelId: number): Promise<AliasRecord[]>;
  /** The version an alias points at, by model name. */
  aliasVersion(model: string, alias: string): Promise<number | undefined>;
  /** Every model with its version count, latest version and aliases, by name. */
  list(): Promise<ModelSummary[]>;
  /**
   * Points `alias` at `version` atomically. With `expected` it is a compare-and-set: the alias must
   * point at `expected` now (`null`: must not exist). False when it did not match or the version is gone.
   */
  moveAlias(modelId: number, alias: string, version: number, now: number, expected?: number | null): Promise<boolean>;
  /** Removes an alias; false if there was none. */
  deleteAlias(modelId: number, alias: string): Promise<boolean>;
  /** Sets a version's archived flag; false if there is no such version. */
  setArchived(modelId: number, version: number, archived: boolean): Promise<boolean>;
  /** Deletes a version unless an alias points at it, atomically. */
  deleteVersion(modelId: number, version: number): Promise<DeleteVersionOutcome>;
}
