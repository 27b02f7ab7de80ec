import { PromotionLog, PromotionOutcome, TestScore } from '../../registry/ports/promotion-source.port';
import { SqlDialect } from './sql-dialect';

/** Promotion outcomes in SQL: a JSON column of the experiment they belong to. */
export class SqlPromotionLog implements PromotionLog {
  constructor(private readonly db: SqlDialect) {}

  async record(experimentId: number, outcome: PromotionOutcome): Promise<void> {
    await this.db.changes('UPDATE experiment SET promotion = ? WHERE id = ?', [JSON.stringify(outcome), experimentId]);
  }

  async recordTestScore(experimentId: number, score: TestScore): Promise<void> {
    await this.db.changes('UPDATE experiment SET test_score = ? WHERE id = ?', [JSON.stringify(score), experimentId]);
  }

  async testScoreOf(experimentId: number): Promise<TestScore | undefined> {
    const [row] = await this.db.rows<{ test_score: string | null }>('SELECT test_score FROM experiment WHERE id = ?', [experimentId]);
    return row?.test_score ? (JSON.parse(row.test_score) as TestScore) : undefined;
  }

  async outcomeOf(experimentId: number): Promise<PromotionOutcome | undefined> {
    const [row] = await this.db.rows<{ promotion: string | null }>('SELECT promotion FROM experiment WHERE id = ?', [experimentId]);
    return row?.promotion ? (JSON.parse(row.promotion) as PromotionOutcome) : undefined;
  }
}
