import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isDatabaseUrl, ServiceSettings } from '../config/service-settings';
import { SettingsError } from '../domain/errors';

/** The file in each artifact and registry folder that names the database whose files it holds. */
export const STORE_MARKER = '.hpo-store.json';

/** The folders a database's files go to. */
export interface StoreFolders {
  artifactsDir: string;
  registryDir: string;
}

/** A database location fit to print: a URL without its password. */
export function printableLocation(db: string): string {
  return db.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

/**
 * Where a database's files go unless settings say otherwise: beside a SQLite file (`runs.db` →
 * `runs-artifacts/`, `runs-registry/`), and for a database that is not a file, a folder of its own
 * under `HPO_HOME`, named by its identity, so two databases never share one from any working directory.
 */
export function defaultFolders(settings: ServiceSettings, identity: string): StoreFolders {
  if (settings.db === ':memory:') {
    const base = join(tmpdir(), `hpo-memory-${identity}`);
    return { artifactsDir: join(base, 'artifacts'), registryDir: join(base, 'registry') };
  }
  if (isDatabaseUrl(settings.db))
    return { artifactsDir: join(settings.home, 'stores', identity, 'artifacts'), registryDir: join(settings.home, 'stores', identity, 'registry') };
  const base = resolve(settings.db).replace(/\.[^./]+$/, '');
  return { artifactsDir: `${base}-artifacts`, registryDir: `${base}-registry` };
}

/**
 * Ties a folder to the database `identity`: a new or empty folder (or one made before markers
 * existed) is marked as this database's; a folder marked for another database is refused with a
 * message that says whose it is, so files of two databases are never mixed or overwritten.
 */
export function claimFolder(dir: string, identity: string, database: string, role: string): void {
  mkdirSync(dir, { recursive: true });
  const marker = join(dir, STORE_MARKER);
  if (existsSync(marker)) {
    let owner: { store?: string; database?: string } = {};
    try {
      owner = JSON.parse(readFileSync(marker, 'utf8'));
    } catch {
      throw new SettingsError(`${marker} cannot be read: it should name the database whose ${role} this folder holds`);
    }
    if (owner.store === identity) return;
    const setting = role === 'artifacts' ? 'HPO_ARTIFACTS_DIR' : 'HPO_REGISTRY_DIR';
    const here = printableLocation(database);
    // The same location with another identity: the database was deleted and made anew beside the old one's files.
    const recreated = owner.database === here;
    throw new SettingsError(
      recreated
        ? `${dir} holds the ${role} of an earlier database at ${here} (store ${owner.store}), not of the one there now (store ${identity}): remove the folder if that database is gone for good, or point ${setting} at a folder of its own`
        : `${dir} holds the ${role} of another database (${owner.database ?? 'unknown'}, store ${owner.store}), not of ${here}: point ${setting} at a folder of its own`,
    );
  }
  const legacy = readdirSync(dir).length > 0;
  writeFileSync(
    marker,
    `${JSON.stringify({ store: identity, database: printableLocation(database), ...(legacy ? { adopted: 'a folder made before stores were marked' } : {}) }, null, 2)}\n`,
  );
}

/** The folders of the database `identity`, claimed for it (see {@link claimFolder}). */
export function openStoreFolders(settings: ServiceSettings, identity: string): StoreFolders {
  const defaults = defaultFolders(settings, identity);
  const folders = { artifactsDir: settings.artifactsDir ?? defaults.artifactsDir, registryDir: settings.registryDir ?? defaults.registryDir };
  claimFolder(folders.artifactsDir, identity, settings.db, 'artifacts');
  claimFolder(folders.registryDir, identity, settings.db, 'registry');
  return folders;
}
