import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { BadRequestError } from '../domain/errors';
import { sha256Of } from './input-catalog';

/** The most bytes one artifact file may have when a worker uploads it. */
export const MAX_ARTIFACT_FILE_BYTES = 512 * 1024 * 1024;

/**
 * Writes artifact files a worker uploads into the trial's artifact folder on the service: each
 * name must stay inside that folder, and the bytes must match the SHA-256 the worker computed
 * (a transfer that changed them is refused). Written beside and renamed, so a reader never sees half a file.
 */
export class ArtifactIntake {
  /** Checks and writes one file. */
  write(folder: string, name: string, bytes: Buffer, sha256: string): void {
    const rel = normalize(name);
    if (!name || isAbsolute(name) || rel.startsWith('..') || rel.split(sep).includes('..') || !/^[A-Za-z0-9._\-/]+$/.test(name)) {
      throw new BadRequestError([{ path: 'name', message: `"${name}" is not a file name inside the artifact folder` }]);
    }
    if (bytes.length > MAX_ARTIFACT_FILE_BYTES) throw new BadRequestError([{ path: 'body', message: `larger than ${MAX_ARTIFACT_FILE_BYTES} bytes` }]);
    const actual = sha256Of(bytes);
    if (actual !== sha256) {
      throw new BadRequestError([{ path: 'x-content-sha256', message: `the file's bytes have SHA-256 ${actual}, the worker said ${sha256}` }]);
    }
    const target = join(folder, rel);
    mkdirSync(dirname(target), { recursive: true });
    const tmp = `${target}.${process.pid}.part`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, target);
  }
}
