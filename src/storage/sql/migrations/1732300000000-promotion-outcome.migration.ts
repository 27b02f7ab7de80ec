import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * What the automatic promotion of a finished experiment did, stored with the experiment (so any
 * process, or a later CLI call, can read it back); and the number of the trial a trial repeats,
 * which is what users see (the id is internal).
 */
export class PromotionOutcome1732300000000 implements MigrationInterface {
  name = 'PromotionOutcome1732300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('experiment', new TableColumn({ name: 'promotion', type: 'text', isNullable: true }));
    await q.addColumn('trial', new TableColumn({ name: 'repeat_of_number', type: 'integer', isNullable: true }));
    await q.query('UPDATE trial SET repeat_of_number = (SELECT r.number FROM trial r WHERE r.id = trial.repeat_of) WHERE repeat_of IS NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('trial', 'repeat_of_number');
    await q.dropColumn('experiment', 'promotion');
  }
}
