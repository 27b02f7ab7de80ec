import type { AliasRecord, ModelSummary, ModelVersionRecord, NewModelVersion } from '../../registry/model-records';
import type { DeleteVersionOutcome, ModelRepository } from '../../registry/ports/model-repository.port';
import { copy, MemoryState } from './memory-state';

/** The model registry in memory; each method is atomic because it runs without awaiting. See the port for the contract. */
export class MemoryModelRepository implements ModelRepository {
  constructor(private readonly state: MemoryState) {}

  private nameOf(modelId: number): string | undefined {
    for (const m of this.state.models.values()) if (m.id === modelId) return m.name;
    return undefined;
  }

  private versionsOf(modelId: number): Map<number, ModelVersionRecord> {
    let versions = this.state.versions.get(modelId);
    if (!versions) this.state.versions.set(modelId, (versions = new Map()));
    return versions;
  }

  private aliasesOf(modelId: number): Map<string, { version: number; updatedAt: number }> {
    let aliases = this.state.aliases.get(modelId);
    if (!aliases) this.state.aliases.set(modelId, (aliases = new Map()));
    return aliases;
  }

  async ensureModel(name: string, now: number): Promise<number> {
    const existing = this.state.models.get(name);
    if (existing) return existing.id;
    const id = ++this.state.nextId.model;
    this.state.models.set(name, { id, name, createdAt: now, lastVersion: 0 });
    return id;
  }

  async modelId(name: string): Promise<number | undefined> {
    return this.state.models.get(name)?.id;
  }

  async insertVersion(modelId: number, v: NewModelVersion, now: number): Promise<number> {
    const name = this.nameOf(modelId);
    if (name === undefined) throw new Error(`no registered model has id ${modelId}`);
    const model = this.state.models.get(name)!;
    const version = ++model.lastVersion;
    this.versionsOf(modelId).set(version, { ...copy(v), model: name, version, archived: false, createdAt: now });
    return version;
  }

  async removeVersionRow(modelId: number, version: number): Promise<void> {
    this.versionsOf(modelId).delete(version);
  }

  async version(modelId: number, version: number): Promise<ModelVersionRecord | undefined> {
    const v = this.state.versions.get(modelId)?.get(version);
    return v ? copy(v) : undefined;
  }

  async versions(modelId: number): Promise<ModelVersionRecord[]> {
    return [...this.versionsOf(modelId).values()].sort((a, b) => b.version - a.version).map(copy);
  }

  async aliases(modelId: number): Promise<AliasRecord[]> {
    return [...this.aliasesOf(modelId)]
      .map(([alias, a]) => ({ alias, version: a.version, updatedAt: a.updatedAt }))
      .sort((a, b) => (a.alias < b.alias ? -1 : 1));
  }

  async aliasVersion(model: string, alias: string): Promise<number | undefined> {
    const id = this.state.models.get(model)?.id;
    return id === undefined ? undefined : this.state.aliases.get(id)?.get(alias)?.version;
  }

  async list(): Promise<ModelSummary[]> {
    return [...this.state.models.values()]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((m) => {
        const numbers = [...this.versionsOf(m.id).keys()];
        return {
          name: m.name,
          createdAt: m.createdAt,
          versionCount: numbers.length,
          latestVersion: numbers.length > 0 ? Math.max(...numbers) : null,
          aliases: Object.fromEntries([...this.aliasesOf(m.id)].map(([alias, a]) => [alias, a.version])),
        };
      });
  }

  async moveAlias(modelId: number, alias: string, version: number, now: number, expected?: number | null): Promise<boolean> {
    if (!this.versionsOf(modelId).has(version)) return false;
    const aliases = this.aliasesOf(modelId);
    const current = aliases.get(alias);
    if (expected === null && current) return false;
    if (expected !== undefined && expected !== null && current?.version !== expected) return false;
    aliases.set(alias, { version, updatedAt: now });
    return true;
  }

  async deleteAlias(modelId: number, alias: string): Promise<boolean> {
    return this.aliasesOf(modelId).delete(alias);
  }

  async setArchived(modelId: number, version: number, archived: boolean): Promise<boolean> {
    const v = this.versionsOf(modelId).get(version);
    if (!v) return false;
    v.archived = archived;
    return true;
  }

  async deleteVersion(modelId: number, version: number): Promise<DeleteVersionOutcome> {
    if (!this.versionsOf(modelId).has(version)) return 'missing';
    if ([...this.aliasesOf(modelId).values()].some((a) => a.version === version)) return 'aliased';
    this.versionsOf(modelId).delete(version);
    return 'deleted';
  }
}
