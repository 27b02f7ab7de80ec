import { DataSource, DataSourceOptions } from 'typeorm';
import { InitialSchema1732260000000 } from './migrations/1732260000000-initial-schema.migration';
import { Registry1732270000000 } from './migrations/1732270000000-registry.migration';
import { ExperimentLease1732280000000 } from './migrations/1732280000000-experiment-lease.migration';
import { ModelVersionCounter1732290000000 } from './migrations/1732290000000-model-version-counter.migration';
import { PromotionOutcome1732300000000 } from './migrations/1732300000000-promotion-outcome.migration';
import { TrialAttempts1732310000000 } from './migrations/1732310000000-trial-attempts.migration';
import { KeysAndAudit1732320000000 } from './migrations/1732320000000-keys-and-audit.migration';
import { TestScores1732380000000 } from './migrations/1732380000000-test-scores.migration';
import { Compression1732380000001 } from './migrations/1732380000001-compression.migration';
import { TrialFinishedIndex1732410000000 } from './migrations/1732410000000-trial-finished-index.migration';
import { TrialRunner1732410000001 } from './migrations/1732410000001-trial-runner.migration';
import { EnqueuedTrials1732450000000 } from './migrations/1732450000000-enqueued-trials.migration';

/** SQLite waits this long for a lock before failing a statement. */
export const SQLITE_BUSY_TIMEOUT_MS = 5_000;

/**
 * How long opening a PostgreSQL connection may take before it fails (and is retried where a write
 * must not be lost): without a bound, a server that accepts nothing behind a dead network would hold
 * every statement forever.
 */
export const POSTGRES_CONNECT_TIMEOUT_MS = 10_000;

/**
 * Every migration, in order: the one definition of the schema (repositories speak SQL to it, and
 * the storage conformance suite holds every store to the same behaviour). Never `synchronize`.
 */
export const MIGRATIONS = [
  InitialSchema1732260000000,
  Registry1732270000000,
  ExperimentLease1732280000000,
  ModelVersionCounter1732290000000,
  PromotionOutcome1732300000000,
  TrialAttempts1732310000000,
  KeysAndAudit1732320000000,
  TestScores1732380000000,
  Compression1732380000001,
  TrialFinishedIndex1732410000000,
  TrialRunner1732410000001,
  EnqueuedTrials1732450000000,
];

/** A SQL database the service keeps its records in: a SQLite file (embedded default) or a PostgreSQL URL (shared). */
export type SqlTarget = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

/** TypeORM options for a target: WAL and a busy timeout on SQLite; migrations always. */
export function dataSourceOptions(target: SqlTarget): DataSourceOptions {
  const common = { entities: [] as Function[], migrations: MIGRATIONS as Function[], synchronize: false, migrationsRun: false, logging: false } as const;
  if (target.kind === 'postgres') return { ...common, type: 'postgres', url: target.url, connectTimeoutMS: POSTGRES_CONNECT_TIMEOUT_MS };
  return {
    ...common,
    type: 'better-sqlite3',
    database: target.file,
    enableWAL: true,
    timeout: SQLITE_BUSY_TIMEOUT_MS,
    // NORMAL is durable in WAL mode across application crashes, and much faster than FULL.
    prepareDatabase: (db: { pragma(s: string): unknown }) => void db.pragma('synchronous = NORMAL'),
  };
}

/** Opens the database and brings its schema up to date. */
export async function openDataSource(target: SqlTarget): Promise<DataSource> {
  const source = new DataSource(dataSourceOptions(target));
  await source.initialize();
  await source.runMigrations({ transaction: 'each' });
  return source;
}
