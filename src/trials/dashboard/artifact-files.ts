import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Files a trial's listing shows at most (a trial that wrote thousands of files is listed in part). */
export const MAX_LISTED_FILES = 200;

/** One file of a trial's artifact folder. */
export interface ArtifactFile {
  path: string;
  bytes: number;
  sha256: string;
}

function sha256(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** The files under a trial's artifact folder with their sizes and SHA-256, sorted by path; none when it has no folder. */
export async function artifactFiles(dir: string | null): Promise<{ files: ArtifactFile[]; truncated: boolean }> {
  if (!dir || !existsSync(dir)) return { files: [], truncated: false };
  const paths: string[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (paths.length > MAX_LISTED_FILES) return;
      const full = join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) paths.push(full);
    }
  };
  walk(dir);
  const truncated = paths.length > MAX_LISTED_FILES;
  const files = await Promise.all(
    paths.slice(0, MAX_LISTED_FILES).map(async (p) => ({ path: relative(dir, p), bytes: statSync(p).size, sha256: await sha256(p) })),
  );
  return { files, truncated };
}
