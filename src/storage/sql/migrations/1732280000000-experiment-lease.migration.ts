import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** Which process runs an experiment, and when it last said so: lets several processes share one database. */
export class ExperimentLease1732280000000 implements MigrationInterface {
  name = 'ExperimentLease1732280000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('experiment', [
      new TableColumn({ name: 'owner', type: 'varchar', length: '64', isNullable: true }),
      new TableColumn({ name: 'heartbeat_at', type: 'bigint', isNullable: true }),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('experiment', 'heartbeat_at');
    await q.dropColumn('experiment', 'owner');
  }
}
