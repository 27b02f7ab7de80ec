import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Store } from '../store';
import { openDataSource, SqlTarget } from './data-source';
import { SqlDialect } from './sql-dialect';
import { SqlAuditLog } from './sql-audit-log';
import { SqlExperimentRepository } from './sql-experiment.repository';
import { SqlKeyRepository } from './sql-key.repository';
import { SqlModelRepository } from './sql-model.repository';
import { SqlPromotionLog } from './sql-promotion-log';
import { SqlTrialQueryRepository } from './sql-trial-query.repository';
import { SqlTrialRepository } from './sql-trial.repository';

/** The repositories over one open SQLite file or PostgreSQL database. */
export class SqlStore implements Store {
  readonly dialect: SqlDialect;
  readonly experiments: SqlExperimentRepository;
  readonly trials: SqlTrialRepository;
  readonly queries: SqlTrialQueryRepository;
  readonly models: SqlModelRepository;
  readonly promotions: SqlPromotionLog;
  readonly keys: SqlKeyRepository;
  readonly audit: SqlAuditLog;

  constructor(
    readonly source: DataSource,
    readonly location: string,
  ) {
    this.dialect = new SqlDialect(source);
    this.experiments = new SqlExperimentRepository(this.dialect);
    this.trials = new SqlTrialRepository(this.dialect);
    this.queries = new SqlTrialQueryRepository(this.dialect);
    this.models = new SqlModelRepository(this.dialect);
    this.promotions = new SqlPromotionLog(this.dialect);
    this.keys = new SqlKeyRepository(this.dialect);
    this.audit = new SqlAuditLog(this.dialect);
  }

  /** Opens (creating and migrating if needed) the database at `target`. */
  static async open(target: SqlTarget): Promise<SqlStore> {
    return new SqlStore(await openDataSource(target), target.kind === 'sqlite' ? target.file : target.url);
  }

  async identity(): Promise<string> {
    // Two processes opening a new database at once both insert; the first one's identity stays.
    await this.dialect.changes("INSERT INTO store_meta (name, value) VALUES ('store_id', ?) ON CONFLICT (name) DO NOTHING", [randomUUID()]);
    const [row] = await this.dialect.rows<{ value: string }>("SELECT value FROM store_meta WHERE name = 'store_id'");
    return row.value;
  }

  async close(): Promise<void> {
    if (this.source.isInitialized) await this.source.destroy();
  }
}
