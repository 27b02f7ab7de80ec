import { createHash, randomUUID } from 'node:crypto';
import { access, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ArtifactFile } from './model-records';
import { ConflictError } from '../domain/errors';

/** The manifest written beside every stored artifact: each file's size and SHA-256. */
export const CHECKSUMS_FILE = 'checksums.json';

/**
 * A stored artifact whose bytes differ from their recorded checksum or size (tampered, truncated,
 * missing). A 409: the request is fine, the stored state conflicts with the record of it; the
 * message names the file.
 */
export class ArtifactIntegrityError extends ConflictError {}

/** Hex SHA-256 of some bytes. */
export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The size and checksum of each named buffer. */
export function describeFiles(files: ReadonlyMap<string, Buffer>): ArtifactFile[] {
  return [...files].map(([name, data]) => ({ name, bytes: data.byteLength, sha256: sha256(data) }));
}

/** Checks buffers against their records; throws {@link ArtifactIntegrityError} naming the first bad file. */
export function verifyFiles(where: string, expected: readonly ArtifactFile[], actual: ReadonlyMap<string, Buffer>): void {
  for (const f of expected) {
    const data = actual.get(f.name);
    if (!data) throw new ArtifactIntegrityError(`${where}: ${f.name} is missing`);
    if (data.byteLength !== f.bytes)
      throw new ArtifactIntegrityError(`${where}: ${f.name} has ${data.byteLength} bytes, ${f.bytes} recorded (truncated or changed)`);
    if (sha256(data) !== f.sha256) throw new ArtifactIntegrityError(`${where}: ${f.name} fails its SHA-256 check (changed since it was stored)`);
  }
}

async function writeDurably(path: string, data: Uint8Array | string): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncDir(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * The registry's own copy of every artifact: `<root>/<model>/<version>/` with the files and a
 * `checksums.json`. Files are written and fsynced in a staging folder first and renamed into
 * place, so a version folder either holds a complete, checksummed artifact or does not exist.
 */
export class ArtifactStore {
  constructor(readonly root: string) {}

  /** The folder of a stored version. */
  dirOf(model: string, version: number): string {
    return join(this.root, segment(model), String(version));
  }

  /** Writes files durably into a fresh staging folder of `model`, with their checksums; resolves to the folder and the records. */
  async stage(model: string, files: ReadonlyMap<string, Buffer>): Promise<{ dir: string; files: ArtifactFile[] }> {
    const dir = join(this.root, segment(model), `.staging-${randomUUID()}`);
    await mkdir(dir, { recursive: true });
    const records = describeFiles(files);
    for (const [name, data] of files) await writeDurably(join(dir, segment(name)), data);
    await writeDurably(join(dir, CHECKSUMS_FILE), JSON.stringify({ algorithm: 'sha256', files: records }, null, 2));
    await syncDir(dir);
    return { dir, files: records };
  }

  /** Moves a staged folder to its version's place (replacing a leftover of a crashed promotion). */
  async commit(stagingDir: string, model: string, version: number): Promise<string> {
    const target = this.dirOf(model, version);
    // Version numbers are never reused, so a folder already there is not ours to replace: stored files are never overwritten.
    if (await exists(target))
      throw new ConflictError(`${target} already exists: the registry store holds files this database did not record; they are left as they are`);
    await rename(stagingDir, target);
    await syncDir(join(this.root, model));
    return target;
  }

  /** Removes a staging or version folder. */
  async remove(dir: string): Promise<void> {
    await rm(dir, { recursive: true, force: true });
  }

  /** Reads a stored version's files and checks each against its record; throws {@link ArtifactIntegrityError}. */
  async readVerified(model: string, version: number, files: readonly ArtifactFile[]): Promise<Map<string, Buffer>> {
    const dir = this.dirOf(model, version);
    const where = `model ${model} version ${version}`;
    const out = new Map<string, Buffer>();
    // One after another, so the file an error names does not depend on which read lost a race.
    for (const f of files) {
      try {
        out.set(f.name, await readFile(join(dir, segment(f.name))));
      } catch (error) {
        throw new ArtifactIntegrityError(`${where}: ${f.name} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      }
    }
    verifyFiles(where, files, out);
    return out;
  }
}

/**
 * A model or file name as one folder entry of the store. Names are validated where they enter
 * (letters, digits, `-`, `_`); this holds the store to it, so that no name can write outside it.
 */
function segment(name: string): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(name) || name === '.' || name === '..') throw new Error(`not a name the registry store can hold: ${JSON.stringify(name)}`);
  return name;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
