import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

const epoch = (name: string, nullable = false) => ({ name, type: 'bigint', isNullable: nullable });

/**
 * API keys (a salted scrypt hash, never the secret), the audit log, and who submitted each
 * experiment (so a key's running experiments can be counted against its limit).
 */
export class KeysAndAudit1732320000000 implements MigrationInterface {
  name = 'KeysAndAudit1732320000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'api_key',
        columns: [
          { name: 'id', type: 'varchar', length: '32', isPrimary: true },
          { name: 'name', type: 'varchar', length: '64', isUnique: true },
          { name: 'scope', type: 'varchar', length: '8' },
          { name: 'salt', type: 'varchar', length: '64' },
          { name: 'hash', type: 'varchar', length: '128' },
          epoch('created_at'),
          epoch('revoked_at', true),
          epoch('last_used_at', true),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'audit_log',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          epoch('at'),
          { name: 'actor', type: 'varchar', length: '64' },
          { name: 'action', type: 'varchar', length: '32' },
          { name: 'target', type: 'varchar', length: '300' },
          { name: 'origin', type: 'varchar', length: '100' },
          { name: 'detail', type: 'text', isNullable: true },
        ],
        indices: [new TableIndex({ name: 'idx_audit_actor', columnNames: ['actor', 'id'] })],
      }),
    );
    await q.addColumn('experiment', new TableColumn({ name: 'submitted_by', type: 'varchar', length: '64', isNullable: true }));
    await q.createIndex('experiment', new TableIndex({ name: 'idx_experiment_submitter', columnNames: ['submitted_by', 'state'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('experiment', 'idx_experiment_submitter');
    await q.dropColumn('experiment', 'submitted_by');
    await q.dropTable('audit_log');
    await q.dropTable('api_key');
  }
}
