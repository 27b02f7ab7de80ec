import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A scratch folder for one benchmark run (database, artifacts, registry), removed afterwards. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'hpo-serving-bench-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
