import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { TrialConfig } from '../config/experiment-spec.types';
import type { TrialInput } from './fleet-protocol';
import { inputPathsOf } from './trial-inputs';

/** SHA-256 of bytes, as lowercase hex. */
export function sha256Of(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

interface Known {
  path: string;
  size: number;
  mtimeMs: number;
  sha256: string;
}

/**
 * The input files of the trials this service has put on the queue, by content hash: a worker may
 * fetch only a file an experiment already references, named by its hash, never by a path from the
 * request. A file is hashed again when its size or modification time changed.
 */
export class InputCatalog {
  private readonly byPath = new Map<string, Known>();
  private readonly byHash = new Map<string, string>();

  /** The inputs of a trial config, hashed, and now servable by hash. */
  inputsOf(trial: TrialConfig): TrialInput[] {
    return inputPathsOf(trial).map(({ field, path }) => {
      const known = this.hash(path);
      return { field, sha256: known.sha256, name: basename(path), bytes: known.size };
    });
  }

  /** The bytes of a referenced file with this hash, or undefined (unknown hash, or the file changed since). */
  read(sha256: string): Buffer | undefined {
    const path = this.byHash.get(sha256);
    if (!path) return undefined;
    const bytes = readFileSync(path);
    return sha256Of(bytes) === sha256 ? bytes : undefined;
  }

  private hash(path: string): Known {
    const stat = statSync(path);
    const cached = this.byPath.get(path);
    if (cached && cached.size === stat.size && cached.mtimeMs === stat.mtimeMs) return cached;
    const known = { path, size: stat.size, mtimeMs: stat.mtimeMs, sha256: sha256Of(readFileSync(path)) };
    this.byPath.set(path, known);
    this.byHash.set(known.sha256, path);
    return known;
  }
}
