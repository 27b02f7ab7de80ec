import type { ExperimentRepository } from './experiment-repository.port';
import type { TrialQueryRepository } from './trial-query.port';
import type { TrialRepository } from './trial-repository.port';

/**
 * What the experiments use case needs from storage, declared here and implemented by
 * `src/storage` (SQLite, PostgreSQL, in memory): the consumer owns the contract.
 */
export interface ExperimentStore {
  readonly experiments: ExperimentRepository;
  readonly trials: TrialRepository;
  readonly queries: TrialQueryRepository;
}
