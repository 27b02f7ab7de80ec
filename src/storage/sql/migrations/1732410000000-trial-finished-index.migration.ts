import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * The dashboard asks every few hundred milliseconds which trials of an experiment finished since it
 * last looked: without this index that question scans all of the experiment's trials (about 100 ms
 * at 100,000 trials, on every refresh); with it, it reads only the rows that finished.
 */
export class TrialFinishedIndex1732410000000 implements MigrationInterface {
  name = 'TrialFinishedIndex1732410000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createIndex('trial', new TableIndex({ name: 'idx_trial_finished', columnNames: ['experiment_id', 'finished_at'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('trial', 'idx_trial_finished');
  }
}
