import type { AuditLog } from '../auth/ports/audit-log.port';
import type { KeyRepository } from '../auth/ports/key-repository.port';
import type { PromotionLog } from '../registry/ports/promotion-source.port';
import type { ModelRepository } from '../registry/ports/model-repository.port';
import type { ExperimentStore } from '../trials/ports/experiment-store.port';
import { MemoryStore } from './memory/memory-store';
import type { SqlTarget } from './sql/data-source';
import { SqlStore } from './sql/sql-store';

/** Every port the service's use cases declare, over one database; what the composition root hands out. */
export interface Store extends ExperimentStore {
  readonly models: ModelRepository;
  readonly promotions: PromotionLog;
  /** API keys, hashed. */
  readonly keys: KeyRepository;
  /** Who changed what, when, from where. */
  readonly audit: AuditLog;
  /** Where the records are (a file path, a URL, `memory`), for messages. */
  readonly location: string;
  /**
   * The store's identity, made once when the database is new and kept in it: the artifact and
   * registry folders are tied to it, so files of one database never land in another's folders.
   */
  identity(): Promise<string>;
  close(): Promise<void>;
}

/** Where the service keeps its records: a SQLite file (embedded default), a PostgreSQL URL (shared), or memory (tests, throwaway runs). */
export type DatabaseTarget = SqlTarget | { kind: 'memory' };

/** The `--db` value that keeps records in memory only, gone when the process ends. */
export const MEMORY_DATABASE = ':memory:';

/** Reads `--db`/`HPO_DB`: a `postgres://` URL, `:memory:`, or else a SQLite file path. */
export function parseDatabaseTarget(value: string): DatabaseTarget {
  if (value === MEMORY_DATABASE) return { kind: 'memory' };
  return /^postgres(ql)?:\/\//.test(value) ? { kind: 'postgres', url: value } : { kind: 'sqlite', file: value };
}

/** Opens the store at `target`, creating and migrating a database as needed. */
export async function openStore(target: DatabaseTarget): Promise<Store> {
  return target.kind === 'memory' ? new MemoryStore() : SqlStore.open(target);
}
