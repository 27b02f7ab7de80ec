import { SettingsError } from '../domain/errors';
import { resolve } from 'node:path';

/** Where the embedded default keeps its database, relative to the working directory. */
export const DEFAULT_DB_FILE = 'hpo.db';
/** Port `hpo serve` listens on unless told otherwise. */
export const DEFAULT_PORT = 3000;

/** Settings of one service process, read once at start from flags and the environment. */
export interface ServiceSettings {
  /** A SQLite file path or a `postgres://` URL. */
  db: string;
  /** Where trials write their artifacts. */
  artifactsDir: string;
  /** Where the model registry copies promoted artifacts. */
  registryDir: string;
  port: number;
  host: string;
  /** Seconds without a heartbeat after which another process may take over a RUNNING experiment. */
  leaseSec: number;
}

/** Default of {@link ServiceSettings.leaseSec}. */
export const DEFAULT_LEASE_SEC = 15;

/** Whether a database setting is a PostgreSQL URL rather than a SQLite file path. */
export function isDatabaseUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//.test(db);
}

/**
 * Reads settings: explicit values (CLI flags) first, then `HPO_DB`, `HPO_ARTIFACTS_DIR`,
 * `HPO_REGISTRY_DIR`, `HPO_PORT`, `HPO_HOST`, `HPO_LEASE_SEC`, then defaults. Artifact folders default to siblings
 * of a SQLite file.
 */
export function readServiceSettings(given: Partial<ServiceSettings> = {}, env: NodeJS.ProcessEnv = process.env): ServiceSettings {
  const db = given.db ?? env.HPO_DB ?? DEFAULT_DB_FILE;
  const isUrl = isDatabaseUrl(db);
  const base = isUrl ? resolve('.hpo') : resolve(db).replace(/\.[^./]+$/, '');
  const portText = given.port ?? env.HPO_PORT ?? DEFAULT_PORT;
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new SettingsError(`port must be an integer from 0 to 65535, got ${portText}`);
  const leaseText = given.leaseSec ?? env.HPO_LEASE_SEC ?? DEFAULT_LEASE_SEC;
  const leaseSec = Number(leaseText);
  if (!Number.isFinite(leaseSec) || leaseSec < 1) throw new SettingsError(`HPO_LEASE_SEC must be a number of seconds >= 1, got ${leaseText}`);
  return {
    db: isUrl ? db : resolve(db),
    artifactsDir: resolve(given.artifactsDir ?? env.HPO_ARTIFACTS_DIR ?? `${base}-artifacts`),
    registryDir: resolve(given.registryDir ?? env.HPO_REGISTRY_DIR ?? `${base}-registry`),
    port,
    host: given.host ?? env.HPO_HOST ?? '127.0.0.1',
    leaseSec,
  };
}
