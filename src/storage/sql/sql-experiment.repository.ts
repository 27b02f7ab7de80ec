import { ExperimentSpec } from '../../config/experiment-spec.types';
import { ExperimentRecord, ExperimentState } from '../../trials/trial.types';
import { ExperimentQuery, ExperimentRepository } from '../../trials/ports/experiment-repository.port';
import { SqlDialect } from './sql-dialect';
import { ExperimentRow, toExperimentRecord } from './row-mappers';
import { Direction } from '../../search/history.types';

/** The experiments' records in SQL (SQLite or PostgreSQL); see the port for each method's contract. */
export class SqlExperimentRepository implements ExperimentRepository {
  constructor(private readonly db: SqlDialect) {}

  /** Stores a new RUNNING experiment owned by `owner` and returns it. */
  async create(spec: ExperimentSpec, dataset: string | null, owner: string, now: number): Promise<ExperimentRecord> {
    const [row] = await this.db.rows<ExperimentRow>(
      `INSERT INTO experiment (name, state, spec, objective_metric, direction, algorithm, dataset, owner, heartbeat_at, created_at, started_at)
       VALUES (?, 'RUNNING', ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      [spec.name, JSON.stringify(spec), spec.objective.metric, spec.objective.direction, spec.search.algorithm, dataset, owner, now, now, now],
    );
    return toExperimentRecord(row);
  }

  async get(id: number): Promise<ExperimentRecord | undefined> {
    const [row] = await this.db.rows<ExperimentRow>('SELECT * FROM experiment WHERE id = ?', [id]);
    return row ? toExperimentRecord(row) : undefined;
  }

  /** The id of the newest experiment named `name`, if any. */
  async newestIdByName(name: string): Promise<number | undefined> {
    const [row] = await this.db.rows<{ id: number }>('SELECT id FROM experiment WHERE name = ? ORDER BY id DESC LIMIT 1', [name]);
    return row ? Number(row.id) : undefined;
  }

  /** The directions that experiments with `metric` as their objective optimise it in (none, one, or both). */
  async directionsOfObjective(metric: string): Promise<Direction[]> {
    const rows = await this.db.rows<{ direction: string }>('SELECT DISTINCT direction FROM experiment WHERE objective_metric = ? ORDER BY direction', [metric]);
    return rows.map((r) => r.direction as Direction);
  }

  /** Newest first. */
  async list(query: ExperimentQuery): Promise<{ items: ExperimentRecord[]; total: number }> {
    const where = query.state ? 'WHERE state = ?' : '';
    const args = query.state ? [query.state] : [];
    const rows = await this.db.rows<ExperimentRow>(`SELECT * FROM experiment ${where} ORDER BY id DESC LIMIT ? OFFSET ?`, [...args, query.limit, query.offset]);
    const [{ n }] = await this.db.rows<{ n: number | string }>(`SELECT COUNT(*) AS n FROM experiment ${where}`, args);
    return { items: rows.map(toExperimentRecord), total: Number(n) };
  }

  async listByState(state: ExperimentState): Promise<ExperimentRecord[]> {
    return (await this.db.rows<ExperimentRow>('SELECT * FROM experiment WHERE state = ? ORDER BY id', [state])).map(toExperimentRecord);
  }

  /** Moves a RUNNING experiment to a final state; false if it was not RUNNING. */
  async finish(id: number, state: Exclude<ExperimentState, 'RUNNING'>, reason: string, now: number): Promise<boolean> {
    const changed = await this.db.changes(
      "UPDATE experiment SET state = ?, stop_reason = ?, finished_at = ?, owner = NULL WHERE id = ? AND state = 'RUNNING'",
      [state, reason, now, id],
    );
    return changed === 1;
  }

  /**
   * Takes the experiment for `owner`, once: succeeds when nobody owns it, `owner` already does, or
   * the owner's heartbeat is older than `staleBefore` (that process is gone).
   */
  async claim(id: number, owner: string, now: number, staleBefore: number): Promise<boolean> {
    const changed = await this.db.changes(
      'UPDATE experiment SET owner = ?, heartbeat_at = ? WHERE id = ? AND (owner IS NULL OR owner = ? OR heartbeat_at IS NULL OR heartbeat_at < ?)',
      [owner, now, id, owner, staleBefore],
    );
    return changed === 1;
  }

  /** The owner's sign of life; false when the experiment stopped or another process took it over. */
  async heartbeat(id: number, owner: string, now: number): Promise<boolean> {
    const changed = await this.db.changes("UPDATE experiment SET heartbeat_at = ? WHERE id = ? AND owner = ? AND state = 'RUNNING'", [now, id, owner]);
    return changed === 1;
  }

  /** Puts a finished experiment back to RUNNING (resume after cancel, or a raised budget). */
  async reopen(id: number, spec: ExperimentSpec): Promise<boolean> {
    const changed = await this.db.changes(
      "UPDATE experiment SET state = 'RUNNING', stop_reason = NULL, finished_at = NULL, spec = ? WHERE id = ? AND state <> 'RUNNING'",
      [JSON.stringify(spec), id],
    );
    return changed === 1;
  }

  async updateSpec(id: number, spec: ExperimentSpec): Promise<boolean> {
    return (await this.db.changes("UPDATE experiment SET spec = ? WHERE id = ? AND state = 'RUNNING'", [JSON.stringify(spec), id])) === 1;
  }

  async adoptable(staleBefore: number): Promise<ExperimentRecord[]> {
    const rows = await this.db.rows<ExperimentRow>(
      "SELECT * FROM experiment WHERE state = 'RUNNING' AND (owner IS NULL OR heartbeat_at IS NULL OR heartbeat_at < ?) ORDER BY id",
      [staleBefore],
    );
    return rows.map(toExperimentRecord);
  }

  async release(id: number, owner: string): Promise<boolean> {
    return (
      (await this.db.changes("UPDATE experiment SET owner = NULL, heartbeat_at = NULL WHERE id = ? AND owner = ? AND state = 'RUNNING'", [id, owner])) === 1
    );
  }

  async setSubmitter(id: number, submitter: string): Promise<void> {
    await this.db.changes('UPDATE experiment SET submitted_by = ? WHERE id = ?', [submitter, id]);
  }

  async countRunningBySubmitter(submitter: string): Promise<number> {
    const [row] = await this.db.rows<{ n: number | string }>("SELECT COUNT(*) AS n FROM experiment WHERE submitted_by = ? AND state = 'RUNNING'", [submitter]);
    return Number(row.n);
  }
}
