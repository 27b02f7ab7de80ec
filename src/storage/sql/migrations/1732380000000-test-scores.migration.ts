import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * Honest scores: the metrics of a model on rows no trial was chosen on (`dataset.test`), recorded on
 * the registered version and, for the model an experiment ends with, on the experiment.
 */
export class TestScores1732380000000 implements MigrationInterface {
  name = 'TestScores1732380000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('model_version', new TableColumn({ name: 'test_metrics', type: 'text', isNullable: true }));
    await q.addColumn('experiment', new TableColumn({ name: 'test_score', type: 'text', isNullable: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('experiment', 'test_score');
    await q.dropColumn('model_version', 'test_metrics');
  }
}
