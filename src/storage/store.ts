import { DataSource } from 'typeorm';
import { DatabaseTarget, openDataSource } from './data-source';
import { ExperimentRepository } from './repositories/experiment.repository';
import { TrialQueryRepository } from './repositories/trial-query.repository';
import { TrialRepository } from './repositories/trial.repository';
import { SqlDialect } from './sql-dialect';

/** The repositories over one open database; the only thing the rest of the service holds. */
export class Store {
  readonly experiments: ExperimentRepository;
  readonly trials: TrialRepository;
  readonly queries: TrialQueryRepository;
  readonly dialect: SqlDialect;

  constructor(readonly source: DataSource) {
    this.dialect = new SqlDialect(source);
    this.experiments = new ExperimentRepository(this.dialect);
    this.trials = new TrialRepository(this.dialect);
    this.queries = new TrialQueryRepository(this.dialect);
  }

  /** Opens (creating and migrating if needed) the database at `target`. */
  static async open(target: DatabaseTarget): Promise<Store> {
    return new Store(await openDataSource(target));
  }

  async close(): Promise<void> {
    if (this.source.isInitialized) await this.source.destroy();
  }
}
