import { PromotionLog, PromotionOutcome } from '../../registry/ports/promotion-source.port';
import { SqlDialect } from './sql-dialect';

/** Promotion outcomes in SQL: a JSON column of the experiment they belong to. */
export class SqlPromotionLog implements PromotionLog {
  constructor(private readonly db: SqlDialect) {}

  async record(experimentId: number, outcome: PromotionOutcome): Promise<void> {
    await this.db.changes('UPDATE experiment SET promotion = ? WHERE id = ?', [JSON.stringify(outcome), experimentId]);
  }

  async outcomeOf(experimentId: number): Promise<PromotionOutcome | undefined> {
    const [row] = await this.db.rows<{ promotion: string | null }>('SELECT promotion FROM experiment WHERE id = ?', [experimentId]);
    return row?.promotion ? (JSON.parse(row.promotion) as PromotionOutcome) : undefined;
  }
}
