import { ModelVersionRecord } from './model-records';
import { isValidName, NAME_RULE } from '../config/defaults';
import { BadRequestError, ConflictError, NotFoundError } from '../domain/errors';
import { EventBus } from '../domain/event-bus';
import { aliasView, AliasView, modelSummaryView, ModelSummaryView, modelVersionView, ModelVersionView } from './views';
import { ArtifactStore } from './artifact-store';
import { ModelRepository } from './ports/model-repository.port';

/** A model with its versions (newest first) and aliases, as REST and `--json` show it. */
export interface ModelDetail {
  name: string;
  versions: ModelVersionView[];
  aliases: AliasView[];
}

/** What the registry tells its listeners (the serving path). */
export interface RegistryEvents {
  [name: string]: unknown;
  /**
   * An alias is about to move onto a version whose files passed their checksums: the serving cache
   * loads it here, and a listener that fails vetoes the move (delivered strictly).
   */
  versionPreparing: { record: ModelVersionRecord };
  /** A model's aliases or versions changed: the serving path drops what it resolved. */
  modelChanged: { model: string; deletedVersion?: number; remote?: boolean };
}

/** How an alias move went. */
export interface AliasMove {
  alias: string;
  version: number;
  previousVersion: number | null;
}

/**
 * Models, versions and aliases: read them, move and remove aliases, archive and delete versions.
 * An alias only moves onto a version whose files pass their checksums, in one transaction.
 */
export class RegistryService {
  /** Alias moves and version changes, for whoever listens. */
  readonly events = new EventBus<RegistryEvents>();

  constructor(
    readonly models: ModelRepository,
    readonly artifacts: ArtifactStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** Tells listeners that `model` changed (also when it changed behind this process's back, in another one). */
  notifyChanged(model: string, deletedVersion?: number): void {
    void this.events.emit('modelChanged', { model, ...(deletedVersion !== undefined ? { deletedVersion } : {}) });
  }

  /** Tells listeners that another process serving this database changed `model` (marked `remote`, so it is not told back). */
  changedElsewhere(model: string, deletedVersion?: number): void {
    void this.events.emit('modelChanged', { model, remote: true, ...(deletedVersion !== undefined ? { deletedVersion } : {}) });
  }

  async list(): Promise<ModelSummaryView[]> {
    return (await this.models.list()).map(modelSummaryView);
  }

  async requireModelId(name: string): Promise<number> {
    const id = await this.models.modelId(name);
    if (id === undefined) throw new NotFoundError(`model ${name} not found`);
    return id;
  }

  async show(name: string): Promise<ModelDetail> {
    const id = await this.requireModelId(name);
    const [versions, aliases] = await Promise.all([this.models.versions(id), this.models.aliases(id)]);
    return { name, versions: versions.map(modelVersionView), aliases: aliases.map(aliasView) };
  }

  /** A version as stored (times in epoch milliseconds), for the registry's own use. */
  async record(name: string, version: number): Promise<ModelVersionRecord> {
    const record = await this.models.version(await this.requireModelId(name), version);
    if (!record) throw new NotFoundError(`model ${name} has no version ${version}`);
    return record;
  }

  /** A version as REST and `--json` show it. */
  async version(name: string, version: number): Promise<ModelVersionView> {
    return modelVersionView(await this.record(name, version));
  }

  /** The version an alias points at; 404 when the model or the alias does not exist. */
  async resolveAlias(name: string, alias: string): Promise<number> {
    const version = await this.models.aliasVersion(name, alias);
    if (version === undefined) {
      await this.requireModelId(name);
      throw new NotFoundError(`model ${name} has no alias ${alias}`);
    }
    return version;
  }

  /**
   * Points `alias` at `version` (rollback is a move to an earlier version). The version's files
   * are checked against their checksums and prepared (loaded for serving) first, so a move onto a
   * tampered or unloadable version fails with 409 and the alias stays where it was. With
   * `expected`, the move is a compare-and-set (see `ModelRepository.moveAlias`).
   */
  async moveAlias(name: string, alias: string, version: number, expected?: number | null): Promise<AliasMove | undefined> {
    if (!isValidName(alias)) throw new BadRequestError([{ path: 'alias', message: NAME_RULE }]);
    const id = await this.requireModelId(name);
    const record = await this.record(name, version);
    if (record.archived) throw new ConflictError(`model ${name} version ${version} is archived; unarchive it before pointing an alias at it`);
    await this.artifacts.readVerified(name, version, record.files);
    await this.events.emitStrict('versionPreparing', { record });
    const previous = (await this.models.aliases(id)).find((a) => a.alias === alias)?.version ?? null;
    if (!(await this.models.moveAlias(id, alias, version, this.now(), expected === undefined ? undefined : expected))) {
      if (expected !== undefined) return undefined;
      throw new ConflictError(`model ${name} version ${version} was deleted while the alias moved`);
    }
    this.notifyChanged(name);
    return { alias, version, previousVersion: expected === undefined ? previous : expected };
  }

  async deleteAlias(name: string, alias: string): Promise<void> {
    if (!(await this.models.deleteAlias(await this.requireModelId(name), alias))) throw new NotFoundError(`model ${name} has no alias ${alias}`);
    this.notifyChanged(name);
  }

  /** Archives (or, with `archived: false`, restores) a version; an aliased version cannot be archived. */
  async archive(name: string, version: number, archived = true): Promise<ModelVersionView> {
    const id = await this.requireModelId(name);
    const holders = (await this.models.aliases(id)).filter((a) => a.version === version).map((a) => a.alias);
    if (archived && holders.length > 0) throw new ConflictError(`model ${name} version ${version} is held by alias ${holders.join(', ')}; move it first`);
    if (!(await this.models.setArchived(id, version, archived))) throw new NotFoundError(`model ${name} has no version ${version}`);
    return this.version(name, version);
  }

  /** Deletes a version and its stored files; 409 while an alias points at it. */
  async deleteVersion(name: string, version: number): Promise<void> {
    const outcome = await this.models.deleteVersion(await this.requireModelId(name), version);
    if (outcome === 'missing') throw new NotFoundError(`model ${name} has no version ${version}`);
    if (outcome === 'aliased') throw new ConflictError(`model ${name} version ${version} is held by an alias; move or delete the alias first`);
    this.notifyChanged(name, version);
    await this.artifacts.remove(this.artifacts.dirOf(name, version));
  }
}
