import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

const id = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' as const };
const epoch = (name: string, nullable = true) => ({ name, type: 'bigint', isNullable: nullable });

/** Experiments, trials, final and intermediate metrics, with the indexes leaderboards use. */
export class InitialSchema1732260000000 implements MigrationInterface {
  name = 'InitialSchema1732260000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'experiment',
        columns: [
          id,
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'spec', type: 'text' },
          { name: 'objective_metric', type: 'varchar', length: '100' },
          { name: 'direction', type: 'varchar', length: '8' },
          { name: 'algorithm', type: 'varchar', length: '32' },
          { name: 'dataset', type: 'varchar', length: '255', isNullable: true },
          { name: 'stop_reason', type: 'text', isNullable: true },
          epoch('created_at', false),
          epoch('started_at'),
          epoch('finished_at'),
        ],
        indices: [
          new TableIndex({ name: 'idx_experiment_state', columnNames: ['state', 'id'] }),
          new TableIndex({ name: 'idx_experiment_dataset', columnNames: ['dataset'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'trial',
        columns: [
          id,
          { name: 'experiment_id', type: 'integer' },
          { name: 'number', type: 'integer' },
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'params', type: 'text' },
          { name: 'metrics', type: 'text', isNullable: true },
          { name: 'value', type: 'double precision', isNullable: true },
          { name: 'error', type: 'text', isNullable: true },
          { name: 'interrupted', type: 'boolean', default: false },
          { name: 'repeat_of', type: 'integer', isNullable: true },
          { name: 'backend', type: 'varchar', length: '32', isNullable: true },
          { name: 'last_step', type: 'integer', isNullable: true },
          { name: 'artifact_dir', type: 'text', isNullable: true },
          epoch('created_at', false),
          epoch('started_at'),
          epoch('finished_at'),
        ],
        foreignKeys: [{ columnNames: ['experiment_id'], referencedTableName: 'experiment', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
        indices: [
          new TableIndex({ name: 'idx_trial_experiment_number', columnNames: ['experiment_id', 'number'], isUnique: true }),
          new TableIndex({ name: 'idx_trial_leaderboard', columnNames: ['experiment_id', 'state', 'value'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'trial_metric',
        columns: [
          { name: 'trial_id', type: 'integer', isPrimary: true },
          { name: 'name', type: 'varchar', length: '100', isPrimary: true },
          { name: 'experiment_id', type: 'integer' },
          { name: 'value', type: 'double precision' },
        ],
        foreignKeys: [{ columnNames: ['trial_id'], referencedTableName: 'trial', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
        indices: [
          new TableIndex({ name: 'idx_trial_metric_rank', columnNames: ['experiment_id', 'name', 'value'] }),
          new TableIndex({ name: 'idx_trial_metric_global', columnNames: ['name', 'value'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'intermediate_metric',
        columns: [
          { name: 'trial_id', type: 'integer', isPrimary: true },
          { name: 'name', type: 'varchar', length: '100', isPrimary: true },
          { name: 'step', type: 'integer', isPrimary: true },
          { name: 'value', type: 'double precision' },
        ],
        foreignKeys: [{ columnNames: ['trial_id'], referencedTableName: 'trial', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['intermediate_metric', 'trial_metric', 'trial', 'experiment']) await q.dropTable(table);
  }
}
