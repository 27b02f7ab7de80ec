import { DataSource, DataSourceOptions } from 'typeorm';
import { ExperimentEntity } from './entities/experiment.entity';
import { IntermediateMetricEntity } from './entities/intermediate-metric.entity';
import { TrialMetricEntity } from './entities/trial-metric.entity';
import { TrialEntity } from './entities/trial.entity';
import { InitialSchema1732260000000 } from './migrations/1732260000000-initial-schema.migration';
import { ExperimentLease1732280000000 } from './migrations/1732280000000-experiment-lease.migration';
import { REGISTRY_ENTITIES, REGISTRY_MIGRATIONS } from './registry-tables';

/** SQLite waits this long for a lock before failing a statement. */
export const SQLITE_BUSY_TIMEOUT_MS = 5_000;

/** Every entity of the service. */
export const ENTITIES = [ExperimentEntity, TrialEntity, TrialMetricEntity, IntermediateMetricEntity, ...REGISTRY_ENTITIES];

/** Every migration, in order; the schema is created by these, never by `synchronize`. */
export const MIGRATIONS = [InitialSchema1732260000000, ...REGISTRY_MIGRATIONS, ExperimentLease1732280000000];

/** Where the service keeps its records: a SQLite file (embedded default) or a PostgreSQL URL (scale-out). */
export type DatabaseTarget = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

/** Reads `--db`/`HPO_DB`: a `postgres://` URL, or else a SQLite file path. */
export function parseDatabaseTarget(value: string): DatabaseTarget {
  return /^postgres(ql)?:\/\//.test(value) ? { kind: 'postgres', url: value } : { kind: 'sqlite', file: value };
}

/** TypeORM options for a target: WAL and a busy timeout on SQLite; migrations always. */
export function dataSourceOptions(target: DatabaseTarget): DataSourceOptions {
  const common = { entities: ENTITIES, migrations: MIGRATIONS, synchronize: false, migrationsRun: false, logging: false } as const;
  if (target.kind === 'postgres') return { ...common, type: 'postgres', url: target.url };
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
export async function openDataSource(target: DatabaseTarget): Promise<DataSource> {
  const source = new DataSource(dataSourceOptions(target));
  await source.initialize();
  await source.runMigrations({ transaction: 'each' });
  return source;
}
