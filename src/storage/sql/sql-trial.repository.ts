import { Params } from '../../search/space/space.types';
import { IntermediateReport, Rejection, RepeatOf, TrialRecord, TrialResult, TrialState } from '../../trials/trial.types';
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
  /**
   * A new WAITING trial numbered one past the experiment's highest. On SQLite the one statement is
   * atomic (one writer); on PostgreSQL two connections could read the same highest number, so the
   * experiment's row is locked for the insert, which orders every insert of one experiment, from
   * any process.
   */
  async createWaiting(experimentId: number, params: Params, repeatOf: RepeatOf | null, now: number, enqueued = false): Promise<TrialRecord> {
    const insert = `INSERT INTO trial (experiment_id, number, state, params, repeat_of, repeat_of_number, repeat_reason, retry_number, interrupted, enqueued, created_at)
       SELECT ?, COALESCE(MAX(number), 0) + 1, 'WAITING', ?, ?, ?, ?, ?, ?, ?, ? FROM trial WHERE experiment_id = ?
       RETURNING *`;
    const values = [
      experimentId,
      JSON.stringify(params),
      repeatOf?.id ?? null,
      repeatOf?.number ?? null,
      repeatOf?.reason ?? null,
      repeatOf?.retryNumber ?? 0,
      false,
      enqueued,
      now,
      experimentId,
    ];
    if (!this.db.postgres) return toTrialRecord((await this.db.rows<TrialRow>(insert, values))[0]);
    let row: TrialRow | undefined;
    await this.db.transaction(async (_run, read) => {
      await read('SELECT id FROM experiment WHERE id = ? FOR UPDATE', [experimentId]);
      [row] = await read<TrialRow>(insert, values);
      return true;
    });
    return toTrialRecord(row!);
  }

  async claim(trialId: number, artifactDir: string | null, worker: string, leaseUntil: number, now: number): Promise<number> {
    const [row] = await this.db.rows<{ attempt: number }>(
      "UPDATE trial SET state = 'RUNNING', started_at = ?, artifact_dir = ?, worker = ?, runner = NULL, lease_until = ?, attempt = attempt + 1 WHERE id = ? AND state = 'WAITING' RETURNING attempt",
      [now, artifactDir, worker, leaseUntil, trialId],
    );
    return row ? Number(row.attempt) : 0;
  }

  async setRunner(trialId: number, attempt: number, runner: string): Promise<boolean> {
    return (await this.db.changes("UPDATE trial SET runner = ? WHERE id = ? AND attempt = ? AND state = 'RUNNING'", [runner, trialId, attempt])) === 1;
  }

  async renewLeases(worker: string, leaseUntil: number): Promise<number> {
    return this.db.changes("UPDATE trial SET lease_until = ? WHERE worker = ? AND state = 'RUNNING'", [leaseUntil, worker]);
  }

  /**
   * `RUNNING →` a final state, once, with its final metrics (one row each, for ranking by any
   * metric) in the same transaction. False if the trial was not RUNNING.
   */
  async finish(trialId: number, attempt: number, experimentId: number, result: TrialResult, now: number): Promise<boolean> {
    const entries = Object.entries(result.metrics ?? {}).filter(([, v]) => Number.isFinite(v));
    return this.db.transaction(async (run) => {
      const updated = await run(
        `UPDATE trial SET state = ?, metrics = ?, value = ?, error = ?, backend = ?, last_step = COALESCE(?, last_step),
         artifact_dir = ?, interrupted = ?, failure = ?, lease_until = NULL, finished_at = ? WHERE id = ? AND attempt = ? AND state = 'RUNNING'`,
        [
          result.state,
          result.metrics ? JSON.stringify(result.metrics) : null,
          result.value,
          result.error,
          result.backend,
          result.lastStep,
          result.artifactDir,
          result.interrupted ?? false,
          result.state === 'FAILED' ? (result.failure ?? 'error') : null,
          now,
          trialId,
          attempt,
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

  async saveIntermediate(reports: readonly IntermediateReport[]): Promise<IntermediateReport[]> {
    if (reports.length === 0) return [];
    const ids = [...new Set(reports.map((r) => r.trialId))];
    const held = new Set(
      (
        await this.db.rows<{ id: number; attempt: number }>(
          `SELECT id, attempt FROM trial WHERE state = 'RUNNING' AND id IN (${ids.map(() => '?').join(', ')})`,
          ids,
        )
      ).map((r) => `${Number(r.id)}/${Number(r.attempt)}`),
    );
    const accepted = reports.filter((r) => held.has(`${r.trialId}/${r.attempt}`));
    // One row per (trial, metric, step), the last report winning: PostgreSQL refuses an upsert that touches a row twice.
    const latest = new Map<string, [number, number, string, number, number]>();
    for (const r of accepted)
      for (const [name, value] of Object.entries(r.metrics))
        if (Number.isFinite(value)) latest.set(`${r.trialId}\u0000${name}\u0000${r.step}`, [r.trialId, r.attempt, name, r.step, value]);
    const rows = [...latest.values()];
    for (let i = 0; i < rows.length; i += 200) {
      const chunk = rows.slice(i, i + 200);
      // The join is the fence itself: a row goes in only while its attempt still holds its RUNNING trial.
      await this.db.changes(
        `INSERT INTO intermediate_metric (trial_id, name, step, value)
         SELECT v.column1, v.column3, v.column4, v.column5
         FROM (VALUES ${chunk.map(() => '(CAST(? AS INTEGER), CAST(? AS INTEGER), CAST(? AS VARCHAR(100)), CAST(? AS INTEGER), CAST(? AS DOUBLE PRECISION))').join(', ')}) AS v
         JOIN trial t ON t.id = v.column1 AND t.attempt = v.column2 AND t.state = 'RUNNING'
         WHERE 1 = 1
         ON CONFLICT (trial_id, name, step) DO UPDATE SET value = excluded.value`,
        chunk.flat(),
      );
    }
    const lastByAttempt = new Map<string, { trialId: number; attempt: number; step: number }>();
    for (const r of accepted) {
      const key = `${r.trialId}/${r.attempt}`;
      lastByAttempt.set(key, { trialId: r.trialId, attempt: r.attempt, step: Math.max(r.step, lastByAttempt.get(key)?.step ?? -Infinity) });
    }
    for (const { trialId, attempt, step } of lastByAttempt.values()) {
      await this.db.changes("UPDATE trial SET last_step = ? WHERE id = ? AND attempt = ? AND state = 'RUNNING' AND (last_step IS NULL OR last_step < ?)", [
        step,
        trialId,
        attempt,
        step,
      ]);
    }
    return reports.filter((r) => !held.has(`${r.trialId}/${r.attempt}`));
  }

  async recordRejections(rejections: readonly Rejection[]): Promise<void> {
    for (const r of rejections) {
      await this.db.changes('INSERT INTO trial_rejection (trial_id, attempt, kind, detail, at) VALUES (?, ?, ?, ?, ?)', [
        r.trialId,
        r.attempt,
        r.kind,
        r.detail,
        r.at,
      ]);
    }
  }

  async rejections(trialId: number): Promise<Rejection[]> {
    const rows = await this.db.rows<{ trial_id: number; attempt: number; kind: string; detail: string; at: number | string }>(
      'SELECT trial_id, attempt, kind, detail, at FROM trial_rejection WHERE trial_id = ? ORDER BY id',
      [trialId],
    );
    return rows.map((r) => ({
      trialId: Number(r.trial_id),
      attempt: Number(r.attempt),
      kind: r.kind as Rejection['kind'],
      detail: r.detail,
      at: Number(r.at),
    }));
  }

  async expiredLeases(now: number): Promise<TrialRecord[]> {
    const rows = await this.db.rows<TrialRow>("SELECT * FROM trial WHERE state = 'RUNNING' AND lease_until IS NOT NULL AND lease_until < ? ORDER BY id", [now]);
    return rows.map(toTrialRecord);
  }

  async markRetried(trialId: number): Promise<void> {
    await this.db.changes('UPDATE trial SET retried = ? WHERE id = ?', [true, trialId]);
  }

  /**
   * Marks trials left RUNNING by a dead process FAILED with reason `interrupted`; returns them so
   * their parameters can run again.
   */
  async interruptRunning(experimentId: number, now: number): Promise<TrialRecord[]> {
    const rows = await this.db.rows<TrialRow>(
      `UPDATE trial SET state = 'FAILED', interrupted = ?, error = 'interrupted', failure = 'interrupted', lease_until = NULL, finished_at = ?
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
