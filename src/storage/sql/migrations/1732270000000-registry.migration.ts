import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

const id = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' as const };
const epoch = (name: string) => ({ name, type: 'bigint' });
const toModel = { columnNames: ['model_id'], referencedTableName: 'registered_model', referencedColumnNames: ['id'], onDelete: 'CASCADE' };

/** The model registry: models, their numbered versions, and aliases onto versions. */
export class Registry1732270000000 implements MigrationInterface {
  name = 'Registry1732270000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'registered_model',
        columns: [id, { name: 'name', type: 'varchar', length: '100', isUnique: true }, epoch('created_at')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'model_version',
        columns: [
          id,
          { name: 'model_id', type: 'integer' },
          { name: 'version', type: 'integer' },
          { name: 'experiment_id', type: 'integer' },
          { name: 'trial_id', type: 'integer' },
          { name: 'trial_number', type: 'integer' },
          { name: 'params', type: 'text' },
          { name: 'metrics', type: 'text' },
          { name: 'objective_metric', type: 'varchar', length: '100' },
          { name: 'direction', type: 'varchar', length: '8' },
          { name: 'objective_value', type: 'double precision' },
          { name: 'backend', type: 'varchar', length: '32', isNullable: true },
          { name: 'input_schema', type: 'text' },
          { name: 'files', type: 'text' },
          { name: 'description', type: 'text', isNullable: true },
          { name: 'tags', type: 'text', default: "'{}'" },
          { name: 'archived', type: 'boolean', default: false },
          { name: 'quantization', type: 'text', isNullable: true },
          epoch('created_at'),
        ],
        // No foreign key to the trial: a version must outlive the experiment it came from.
        foreignKeys: [toModel],
        indices: [new TableIndex({ name: 'idx_model_version_number', columnNames: ['model_id', 'version'], isUnique: true })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'model_alias',
        columns: [
          { name: 'model_id', type: 'integer', isPrimary: true },
          { name: 'alias', type: 'varchar', length: '100', isPrimary: true },
          { name: 'version', type: 'integer' },
          epoch('updated_at'),
        ],
        foreignKeys: [toModel],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['model_alias', 'model_version', 'registered_model']) await q.dropTable(table);
  }
}
