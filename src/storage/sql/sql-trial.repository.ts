import { Params } from '../../search/space/space.types';
import { IntermediateReport, TrialRecord, TrialResult, TrialState } from '../../trials/trial.types';
import { CurvePoint, TrialRepository } from '../../trials/ports/trial-repository.port';
import { SqlDialect } from './sql-dialect';
import { toTrialRecord, TrialRow } from './row-mappers';

/** The trials' records in SQL, the scheduler's side; see the port for each method's contract. */
export class SqlTrialRepository implements TrialRepository {
  constructor(private readonly db: SqlDialect) {}

  /**
   * Adds a WAITING trial with the next number of its experiment. Numbering happens inside the one
   * INSERT, so numbers stay unique and gap-free (the unique index guards concurrent writers).
   */
  async createWaiting(experimentId: number, params: Params, repeatOf: Pick<TrialRecord, 'id' | 'number'> | null, now: number): Promise<TrialRecord> {
    const [row] = await this.db.rows<TrialRow>(
      `INSERT INTO trial (experiment_id, number, state, params, repeat_of, repeat_of_number, interrupted, created_at)
       SELECT ?, COALESCE(MAX(number), 0) + 1, 'WAITING', ?, ?, ?, ?, ? FROM trial WHERE experiment_id = ?
       RETURNING *`,
      [experimentId, JSON.stringify(params), repeatOf?.id ?? null, repeatOf?.number ?? null, false, now, experimentId],
    );
    return toTrialRecord(row);
  }

  /** `WAITING → RUNNING`, once: true only for the caller that won the claim. */
  async claim(trialId: number, artifactDir: string | null, now: number): Promise<boolean> {
    const changed = await this.db.changes("UPDATE trial SET state = 'RUNNING', started_at = ?, artifact_dir = ? WHERE id = ? AND state = 'WAITING'", [
      now,
      artifactDir,
      trialId,
    ]);
    return changed === 1;
  }

  /**
   * `RUNNING →` a final state, once, with its final metrics (one row each, for ranking by any
   * metric) in the same transaction. False if the trial was not RUNNING.
   */
  async finish(trialId: number, experimentId: number, result: TrialResult, now: number): Promise<boolean> {
    const entries = Object.entries(result.metrics ?? {}).filter(([, v]) => Number.isFinite(v));
    return this.db.transaction(async (run) => {
      const updated = await run(
        `UPDATE trial SET state = ?, metrics = ?, value = ?, error = ?, backend = ?, last_step = COALESCE(?, last_step),
         artifact_dir = ?, interrupted = ?, finished_at = ? WHERE id = ? AND state = 'RUNNING'`,
        [
          result.state,
          result.metrics ? JSON.stringify(result.metrics) : null,
          result.value,
          result.error,
          result.backend,
          result.lastStep,
          result.artifactDir,
          result.interrupted ?? false,
          now,
          trialId,
        ],
      );
      if (updated !== 1) return false;
      if (entries.length > 0) {
        await run(
          `INSERT INTO trial_metric (trial_id, name, experiment_id, value) VALUES ${entries.map(() => '(?, ?, ?, ?)').join(', ')}`,
          entries.flatMap(([name, value]) => [trialId, name, experimentId, value]),
        );
      }
      return true;
    });
  }

  /** Stores a batch of intermediate reports (re-reporting a step overwrites it) and advances `last_step`. */
  async saveIntermediate(reports: readonly IntermediateReport[]): Promise<void> {
    // One row per (trial, metric, step), the last report winning: PostgreSQL refuses an upsert that touches a row twice.
    const latest = new Map<string, [number, string, number, number]>();
    for (const r of reports)
      for (const [name, value] of Object.entries(r.metrics))
        if (Number.isFinite(value)) latest.set(`${r.trialId}\u0000${name}\u0000${r.step}`, [r.trialId, name, r.step, value]);
    const rows = [...latest.values()];
    for (let i = 0; i < rows.length; i += 200) {
      const chunk = rows.slice(i, i + 200);
      await this.db.changes(
        `INSERT INTO intermediate_metric (trial_id, name, step, value) VALUES ${chunk.map(() => '(?, ?, ?, ?)').join(', ')}
         ON CONFLICT (trial_id, name, step) DO UPDATE SET value = excluded.value`,
        chunk.flat(),
      );
    }
    const lastByTrial = new Map<number, number>();
    for (const r of reports) lastByTrial.set(r.trialId, Math.max(r.step, lastByTrial.get(r.trialId) ?? -Infinity));
    for (const [trialId, step] of lastByTrial) {
      await this.db.changes('UPDATE trial SET last_step = ? WHERE id = ? AND (last_step IS NULL OR last_step < ?)', [step, trialId, step]);
    }
  }

  /**
   * Marks trials left RUNNING by a dead process FAILED with reason `interrupted`; returns them so
   * their parameters can run again.
   */
  async interruptRunning(experimentId: number, now: number): Promise<TrialRecord[]> {
    const rows = await this.db.rows<TrialRow>(
      `UPDATE trial SET state = 'FAILED', interrupted = ?, error = 'interrupted', finished_at = ?
       WHERE experiment_id = ? AND state = 'RUNNING' RETURNING *`,
      [true, now, experimentId],
    );
    return rows.map(toTrialRecord).sort((a, b) => a.number - b.number);
  }

  /**
   * Interrupted trials (by a crash or a cancel) whose parameters have not been queued again yet, in
   * number order: what a resume runs again.
   */
  async interruptedWithoutRepeat(experimentId: number): Promise<TrialRecord[]> {
    const rows = await this.db.rows<TrialRow>(
      `SELECT * FROM trial t WHERE t.experiment_id = ? AND t.interrupted = ?
       AND NOT EXISTS (SELECT 1 FROM trial r WHERE r.experiment_id = t.experiment_id AND r.repeat_of = t.id) ORDER BY t.number`,
      [experimentId, true],
    );
    return rows.map(toTrialRecord);
  }

  /** Trials of an experiment in given states, in number order. */
  async inStates(experimentId: number, states: readonly TrialState[]): Promise<TrialRecord[]> {
    const rows = await this.db.rows<TrialRow>(
      `SELECT * FROM trial WHERE experiment_id = ? AND state IN (${states.map(() => '?').join(', ')}) ORDER BY number`,
      [experimentId, ...states],
    );
    return rows.map(toTrialRecord);
  }

  /** Intermediate values of one metric for every trial of an experiment, grouped by trial id, by step. */
  async metricCurves(experimentId: number, metric: string): Promise<Map<number, { step: number; value: number }[]>> {
    const rows = await this.db.rows<{ trial_id: number; step: number; value: number }>(
      `SELECT i.trial_id, i.step, i.value FROM intermediate_metric i JOIN trial t ON t.id = i.trial_id
       WHERE t.experiment_id = ? AND i.name = ? ORDER BY i.trial_id, i.step`,
      [experimentId, metric],
    );
    const curves = new Map<number, { step: number; value: number }[]>();
    for (const r of rows) {
      const id = Number(r.trial_id);
      if (!curves.has(id)) curves.set(id, []);
      curves.get(id)!.push({ step: Number(r.step), value: Number(r.value) });
    }
    return curves;
  }

  /** Every intermediate value of one trial, by step then name. */
  async curve(trialId: number): Promise<CurvePoint[]> {
    const rows = await this.db.rows<CurvePoint>('SELECT step, name, value FROM intermediate_metric WHERE trial_id = ? ORDER BY step, name', [trialId]);
    return rows.map((r) => ({ step: Number(r.step), name: r.name, value: Number(r.value) }));
  }
}
