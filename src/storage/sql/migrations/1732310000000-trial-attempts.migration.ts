import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

/**
 * Per-trial leases and fencing: each claim of a trial is a numbered attempt held by a worker
 * until a lease time; reports and results carry the attempt and are refused (and logged in
 * `trial_rejection`) once it no longer holds the trial. Failures are classified for the retry
 * policy; a retried failure is marked so it counts once. `store_meta` holds the identity the
 * artifact folders are tied to.
 */
export class TrialAttempts1732310000000 implements MigrationInterface {
  name = 'TrialAttempts1732310000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('trial', [
      new TableColumn({ name: 'attempt', type: 'integer', default: 0 }),
      new TableColumn({ name: 'worker', type: 'varchar', length: '64', isNullable: true }),
      new TableColumn({ name: 'lease_until', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'failure', type: 'varchar', length: '16', isNullable: true }),
      new TableColumn({ name: 'retried', type: 'boolean', default: false }),
      new TableColumn({ name: 'repeat_reason', type: 'varchar', length: '16', isNullable: true }),
      new TableColumn({ name: 'retry_number', type: 'integer', default: 0 }),
    ]);
    // Trials that ran before attempts were counted ran once; interrupted ones were repeated for that reason.
    await q.query("UPDATE trial SET attempt = 1 WHERE state <> 'WAITING'");
    await q.query(
      "UPDATE trial SET failure = CASE WHEN error IN ('interrupted', 'cancelled') THEN error WHEN error LIKE 'timed out%' THEN 'timeout' ELSE 'error' END WHERE state = 'FAILED'",
    );
    await q.query("UPDATE trial SET repeat_reason = 'interrupted' WHERE repeat_of IS NOT NULL");
    // Only RUNNING trials hold leases: a partial index stays as small as the work in flight (lease
    // renewal by worker, the sweep for expired leases), and inserts of WAITING rows never touch it.
    await q.createIndex('trial', new TableIndex({ name: 'idx_trial_lease', columnNames: ['lease_until'], where: "state = 'RUNNING'" }));
    await q.createIndex('trial', new TableIndex({ name: 'idx_trial_worker', columnNames: ['worker'], where: "state = 'RUNNING'" }));
    await q.createTable(
      new Table({
        name: 'trial_rejection',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'trial_id', type: 'integer' },
          { name: 'attempt', type: 'integer' },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'detail', type: 'text' },
          { name: 'at', type: 'bigint' },
        ],
        foreignKeys: [{ columnNames: ['trial_id'], referencedTableName: 'trial', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
        indices: [new TableIndex({ name: 'idx_trial_rejection_trial', columnNames: ['trial_id'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'store_meta',
        columns: [
          { name: 'name', type: 'varchar', length: '64', isPrimary: true },
          { name: 'value', type: 'text' },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('store_meta');
    await q.dropTable('trial_rejection');
    await q.dropIndex('trial', 'idx_trial_worker');
    await q.dropIndex('trial', 'idx_trial_lease');
    for (const c of ['retry_number', 'repeat_reason', 'retried', 'failure', 'lease_until', 'worker', 'attempt']) await q.dropColumn('trial', c);
  }
}
