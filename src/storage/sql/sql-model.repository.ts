import { SqlDialect } from './sql-dialect';
import { AliasRecord, ModelSummary, ModelVersionRecord, NewModelVersion } from '../../registry/model-records';
import { DeleteVersionOutcome, ModelRepository } from '../../registry/ports/model-repository.port';
import { ModelVersionRow, toModelVersionRecord } from './model-rows';

const VERSION_SELECT = 'SELECT m.name, v.* FROM model_version v JOIN registered_model m ON m.id = v.model_id';

/**
 * Reads and writes the model registry's tables. Every change that must not interleave with
 * another (numbering a version, moving an alias, deleting a version no alias holds) is one
 * statement or one transaction, so it is safe on PostgreSQL with many writers too.
 */
export class SqlModelRepository implements ModelRepository {
  constructor(private readonly db: SqlDialect) {}

  /** The id of a model, creating the model if it is new. */
  async ensureModel(name: string, now: number): Promise<number> {
    await this.db.changes('INSERT INTO registered_model (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING', [name, now]);
    return (await this.modelId(name))!;
  }

  async modelId(name: string): Promise<number | undefined> {
    const [row] = await this.db.rows<{ id: number }>('SELECT id FROM registered_model WHERE name = ?', [name]);
    return row ? Number(row.id) : undefined;
  }

  /**
   * Stores a new version numbered one past the highest the model has ever had, and resolves to its
   * number. Numbers are never reused: a deleted version's number, even the newest, or every
   * version's, stays taken, as does one whose promotion failed ({@link removeVersionRow}), so a
   * client pinned to a version never silently gets a different model. (A model's row is never
   * deleted, only its versions, so its numbering never restarts either.)
   *
   * The model's counter is bumped and the version inserted in one transaction. The bump locks the
   * model's row (on SQLite, the database), so concurrent promotions of one model, from this or
   * another process, take turns and each gets its own number; a failed insert rolls the bump back.
   */
  async insertVersion(modelId: number, v: NewModelVersion, now: number): Promise<number> {
    let version: number | undefined;
    await this.db.transaction(async (run, read) => {
      const [model] = await read<{ last_version: number }>('UPDATE registered_model SET last_version = last_version + 1 WHERE id = ? RETURNING last_version', [
        modelId,
      ]);
      if (!model) throw new Error(`no registered model has id ${modelId}`);
      version = Number(model.last_version);
      await run(
        `INSERT INTO model_version (model_id, version, experiment_id, trial_id, trial_number, params, metrics, objective_metric, direction,
           objective_value, backend, input_schema, files, description, tags, archived, quantization, test_metrics, compression, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          modelId,
          version,
          v.experimentId,
          v.trialId,
          v.trialNumber,
          JSON.stringify(v.params),
          JSON.stringify(v.metrics),
          v.objective.metric,
          v.objective.direction,
          v.objective.value,
          v.backend,
          JSON.stringify(v.inputSchema),
          JSON.stringify(v.files),
          v.description,
          JSON.stringify(v.tags),
          false,
          v.quantization ? JSON.stringify(v.quantization) : null,
          v.testMetrics ? JSON.stringify(v.testMetrics) : null,
          v.compression ? JSON.stringify(v.compression) : null,
          now,
        ],
      );
      return true;
    });
    return version!;
  }

  /** Removes a version row outright (a promotion whose files could not be put in place); its number stays taken. */
  async removeVersionRow(modelId: number, version: number): Promise<void> {
    await this.db.changes('DELETE FROM model_version WHERE model_id = ? AND version = ?', [modelId, version]);
  }

  async version(modelId: number, version: number): Promise<ModelVersionRecord | undefined> {
    const [row] = await this.db.rows<ModelVersionRow>(`${VERSION_SELECT} WHERE v.model_id = ? AND v.version = ?`, [modelId, version]);
    return row ? toModelVersionRecord(row) : undefined;
  }

  /** Versions of a model, newest first. */
  async versions(modelId: number): Promise<ModelVersionRecord[]> {
    return (await this.db.rows<ModelVersionRow>(`${VERSION_SELECT} WHERE v.model_id = ? ORDER BY v.version DESC`, [modelId])).map(toModelVersionRecord);
  }

  async aliases(modelId: number): Promise<AliasRecord[]> {
    const rows = await this.db.rows<{ alias: string; version: number; updated_at: number | string }>(
      'SELECT alias, version, updated_at FROM model_alias WHERE model_id = ? ORDER BY alias',
      [modelId],
    );
    return rows.map((r) => ({ alias: r.alias, version: Number(r.version), updatedAt: Number(r.updated_at) }));
  }

  /** The version an alias points at, by model name. */
  async aliasVersion(model: string, alias: string): Promise<number | undefined> {
    const [row] = await this.db.rows<{ version: number }>(
      'SELECT a.version FROM model_alias a JOIN registered_model m ON m.id = a.model_id WHERE m.name = ? AND a.alias = ?',
      [model, alias],
    );
    return row ? Number(row.version) : undefined;
  }

  /** Every model with its version count, latest version and aliases, by name. */
  async list(): Promise<ModelSummary[]> {
    const rows = await this.db.rows<{ id: number; name: string; created_at: number | string; n: number | string; latest: number | null }>(
      `SELECT m.id, m.name, m.created_at, COUNT(v.id) AS n, MAX(v.version) AS latest
       FROM registered_model m LEFT JOIN model_version v ON v.model_id = m.id GROUP BY m.id, m.name, m.created_at ORDER BY m.name`,
    );
    const aliases = await this.db.rows<{ model_id: number; alias: string; version: number }>('SELECT model_id, alias, version FROM model_alias');
    return rows.map((r) => ({
      name: r.name,
      createdAt: Number(r.created_at),
      versionCount: Number(r.n),
      latestVersion: r.latest === null ? null : Number(r.latest),
      aliases: Object.fromEntries(aliases.filter((a) => Number(a.model_id) === Number(r.id)).map((a) => [a.alias, Number(a.version)])),
    }));
  }

  /**
   * Points `alias` at `version` in one transaction. With `expected` it is a compare-and-set: the
   * alias must point at `expected` now (`null`: must not exist). Resolves false when the alias
   * did not match or the version is gone.
   */
  async moveAlias(modelId: number, alias: string, version: number, now: number, expected?: number | null): Promise<boolean> {
    const exists = 'EXISTS (SELECT 1 FROM model_version WHERE model_id = ? AND version = ?)';
    return this.db.transaction(async (run) => {
      if (expected !== null) {
        const cas = expected === undefined ? '' : ' AND version = ?';
        const args = expected === undefined ? [] : [expected];
        const updated = await run(`UPDATE model_alias SET version = ?, updated_at = ? WHERE model_id = ? AND alias = ?${cas} AND ${exists}`, [
          version,
          now,
          modelId,
          alias,
          ...args,
          modelId,
          version,
        ]);
        if (updated === 1) return true;
        if (expected !== undefined) return false;
      }
      const inserted = await run(
        `INSERT INTO model_alias (model_id, alias, version, updated_at) SELECT ?, ?, ?, ? WHERE ${exists}
         AND NOT EXISTS (SELECT 1 FROM model_alias WHERE model_id = ? AND alias = ?)`,
        [modelId, alias, version, now, modelId, version, modelId, alias],
      );
      return inserted === 1;
    });
  }

  /** Removes an alias; false if there was none. */
  async deleteAlias(modelId: number, alias: string): Promise<boolean> {
    return (await this.db.changes('DELETE FROM model_alias WHERE model_id = ? AND alias = ?', [modelId, alias])) === 1;
  }

  /** Sets a version's archived flag; false if there is no such version. */
  async setArchived(modelId: number, version: number, archived: boolean): Promise<boolean> {
    return (await this.db.changes('UPDATE model_version SET archived = ? WHERE model_id = ? AND version = ?', [archived, modelId, version])) === 1;
  }

  /** Deletes a version unless an alias points at it, in one statement. */
  async deleteVersion(modelId: number, version: number): Promise<DeleteVersionOutcome> {
    const deleted = await this.db.changes(
      'DELETE FROM model_version WHERE model_id = ? AND version = ? AND NOT EXISTS (SELECT 1 FROM model_alias WHERE model_id = ? AND version = ?)',
      [modelId, version, modelId, version],
    );
    if (deleted === 1) return 'deleted';
    return (await this.version(modelId, version)) ? 'aliased' : 'missing';
  }
}
