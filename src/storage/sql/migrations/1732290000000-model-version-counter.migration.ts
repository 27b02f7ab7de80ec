import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * The highest version number each model has ever had, so a deleted version's number is never
 * handed out again. Existing models start from their highest surviving version: numbers deleted
 * before this migration above that are unknowable, and are the only ones that can come back.
 */
export class ModelVersionCounter1732290000000 implements MigrationInterface {
  name = 'ModelVersionCounter1732290000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('registered_model', new TableColumn({ name: 'last_version', type: 'integer', default: 0 }));
    await q.query(
      `UPDATE registered_model SET last_version = COALESCE((SELECT MAX(v.version) FROM model_version v WHERE v.model_id = registered_model.id), 0)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('registered_model', 'last_version');
  }
}
