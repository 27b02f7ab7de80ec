import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * Where a trial's attempt runs when that is not the scheduler that holds it: the id of the fleet
 * worker that took it from the queue (null for the scheduler's own pool). The dashboard's timeline
 * lays trials out by it.
 */
export class TrialRunner1732410000001 implements MigrationInterface {
  name = 'TrialRunner1732410000001';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('trial', new TableColumn({ name: 'runner', type: 'varchar', isNullable: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('trial', 'runner');
  }
}
