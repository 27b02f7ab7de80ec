import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** A trial whose parameters a user queued (`hpo enqueue`, `POST …/trials`) says so, so views can tell it from the sampler's suggestions. */
export class EnqueuedTrials1732450000000 implements MigrationInterface {
  name = 'EnqueuedTrials1732450000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('trial', new TableColumn({ name: 'enqueued', type: 'boolean', default: false }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('trial', 'enqueued');
  }
}
