import type { Store } from '../store';
import { MemoryExperimentRepository } from './memory-experiment.repository';
import { MemoryAuditLog, MemoryKeyRepository } from './memory-key.repository';
import { MemoryModelRepository } from './memory-model.repository';
import { emptyMemoryState } from './memory-state';
import { MemoryTrialQueryRepository } from './memory-trial-query.repository';
import { MemoryTrialRepository } from './memory-trial.repository';

/**
 * Every port in process memory: for unit tests of the use cases (no database, no build) and for
 * throwaway runs (`--db :memory:`). It passes the same storage conformance suite as SQLite and
 * PostgreSQL, so what a test shows on it holds on them.
 */
export class MemoryStore implements Store {
  private readonly state = emptyMemoryState();
  readonly experiments = new MemoryExperimentRepository(this.state);
  readonly trials = new MemoryTrialRepository(this.state);
  readonly queries = new MemoryTrialQueryRepository(this.state);
  readonly models = new MemoryModelRepository(this.state);
  readonly promotions = this.experiments;
  readonly keys = new MemoryKeyRepository();
  readonly audit = new MemoryAuditLog();
  readonly location = 'memory';

  async identity(): Promise<string> {
    return this.state.identity;
  }

  async close(): Promise<void> {}
}
