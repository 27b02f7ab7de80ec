import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** A version that is a pruned or distilled variant of another records what it was made from and what it costs and scores against it. */
export class Compression1732380000001 implements MigrationInterface {
  name = 'Compression1732380000001';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('model_version', new TableColumn({ name: 'compression', type: 'text', isNullable: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('model_version', 'compression');
  }
}
