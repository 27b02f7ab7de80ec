import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { readSecuritySettings, SecuritySettings } from './security-settings';
import { numberSetting } from './setting-values';
import { PathRoots, readPathRoots } from './path-root-settings';

/** Where the embedded default keeps its database, relative to the working directory. */
export const DEFAULT_DB_FILE = 'hpo.db';
/** Port `hpo serve` listens on unless told otherwise. */
export const DEFAULT_PORT = 3000;

/** Settings of one service process, read once at start from flags and the environment. */
export interface ServiceSettings {
  /** A SQLite file path, a `postgres://` URL, or `:memory:`. */
  db: string;
  /**
   * Where trials write their artifacts (`HPO_ARTIFACTS_DIR`); when absent, the database's own folder:
   * beside a SQLite file, or under {@link ServiceSettings.home} by the database's identity.
   */
  artifactsDir?: string;
  /** Where the model registry copies promoted artifacts (`HPO_REGISTRY_DIR`); the same defaults. */
  registryDir?: string;
  /** Where the files of databases that are not files live (`HPO_HOME`, default `~/.hpo`). */
  home: string;
  port: number;
  host: string;
  /** Seconds without a heartbeat after which another process may take over a RUNNING experiment. */
  leaseSec: number;
  /** Worker slots of the process (`HPO_SLOTS`); the CPU cores when absent. */
  slots?: number;
  /** The memory bound of a trial whose config says nothing, in MB (`HPO_TRIAL_MEMORY_MB`). */
  trialMemoryMb: number;
  /** How long a graceful stop (SIGTERM) gives running trials before it interrupts them (`HPO_STOP_GRACE_SEC`). */
  stopGraceSec: number;
  /**
   * How long a scheduler keeps trying to store a trial's result, report or claim while the database
   * cannot be reached, before the experiment stops here on the error (`HPO_DB_RETRY_SEC`).
   */
  dbRetrySec: number;
  /** Keys, hosts, origins and limits the front door enforces. */
  security: SecuritySettings;
  /** Where paths, modules and programs that arrive over the network may point (`HPO_DATA_ROOTS`, `HPO_CODE_ROOTS`, `HPO_COMMANDS`). */
  roots: PathRoots;
}

/** Default of {@link ServiceSettings.leaseSec}. */
export const DEFAULT_LEASE_SEC = 15;

/** Default of {@link ServiceSettings.trialMemoryMb}. */
export const DEFAULT_TRIAL_MEMORY_MB = 2048;

/** Default of {@link ServiceSettings.stopGraceSec}. */
export const DEFAULT_STOP_GRACE_SEC = 30;

/** Default of {@link ServiceSettings.dbRetrySec}: a database restart or a failover fits in it. */
export const DEFAULT_DB_RETRY_SEC = 300;

/** Whether a database setting is a PostgreSQL URL (or memory) rather than a SQLite file path. */
export function isDatabaseUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//.test(db) || db === ':memory:';
}

/**
 * Reads settings: explicit values (CLI flags) first, then `HPO_DB`, `HPO_ARTIFACTS_DIR`,
 * `HPO_REGISTRY_DIR`, `HPO_HOME`, `HPO_PORT`, `HPO_HOST`, `HPO_LEASE_SEC`, `HPO_SLOTS`,
 * `HPO_TRIAL_MEMORY_MB`, `HPO_STOP_GRACE_SEC`, `HPO_DB_RETRY_SEC`, the path roots (`readPathRoots`), then defaults. A setting that cannot be used is a
 * SettingsError naming it.
 */
export function readServiceSettings(
  given: Partial<Omit<ServiceSettings, 'security'>> & { security?: Partial<SecuritySettings> } = {},
  env: NodeJS.ProcessEnv = process.env,
): ServiceSettings {
  const db = given.db ?? env.HPO_DB ?? DEFAULT_DB_FILE;
  const isUrl = isDatabaseUrl(db);
  const port = numberSetting(
    'port',
    given.port ?? env.HPO_PORT ?? DEFAULT_PORT,
    (n) => Number.isInteger(n) && n >= 0 && n <= 65_535,
    'an integer from 0 to 65535',
  );
  const leaseSec = numberSetting(
    'HPO_LEASE_SEC',
    given.leaseSec ?? env.HPO_LEASE_SEC ?? DEFAULT_LEASE_SEC,
    (n) => Number.isFinite(n) && n >= 1,
    'a number of seconds >= 1',
  );
  const slotsText = given.slots ?? env.HPO_SLOTS;
  const slots =
    slotsText === undefined || slotsText === ''
      ? undefined
      : numberSetting('HPO_SLOTS', slotsText, (n) => Number.isInteger(n) && n >= 1 && n <= 1024, 'an integer from 1 to 1024');
  const trialMemoryMb = numberSetting(
    'HPO_TRIAL_MEMORY_MB',
    given.trialMemoryMb ?? env.HPO_TRIAL_MEMORY_MB ?? DEFAULT_TRIAL_MEMORY_MB,
    (n) => Number.isInteger(n) && n >= 16,
    'an integer of MB >= 16',
  );
  const stopGraceSec = numberSetting(
    'HPO_STOP_GRACE_SEC',
    given.stopGraceSec ?? env.HPO_STOP_GRACE_SEC ?? DEFAULT_STOP_GRACE_SEC,
    (n) => Number.isFinite(n) && n >= 0,
    'a number of seconds >= 0',
  );
  const dbRetrySec = numberSetting(
    'HPO_DB_RETRY_SEC',
    // An empty variable is an unset one (a shell's `HPO_DB_RETRY_SEC=`), not zero seconds.
    given.dbRetrySec ?? (env.HPO_DB_RETRY_SEC || undefined) ?? DEFAULT_DB_RETRY_SEC,
    (n) => Number.isFinite(n) && n >= 0,
    'a number of seconds >= 0',
  );
  const artifactsDir = given.artifactsDir ?? env.HPO_ARTIFACTS_DIR;
  const registryDir = given.registryDir ?? env.HPO_REGISTRY_DIR;
  return {
    db: isUrl ? db : resolve(db),
    ...(artifactsDir ? { artifactsDir: resolve(artifactsDir) } : {}),
    ...(registryDir ? { registryDir: resolve(registryDir) } : {}),
    home: resolve(given.home ?? env.HPO_HOME ?? join(homedir(), '.hpo')),
    port,
    host: given.host ?? env.HPO_HOST ?? '127.0.0.1',
    leaseSec,
    ...(slots !== undefined ? { slots } : {}),
    trialMemoryMb,
    stopGraceSec,
    dbRetrySec,
    security: readSecuritySettings(given.security, env),
    roots: given.roots ?? readPathRoots(env),
  };
}
