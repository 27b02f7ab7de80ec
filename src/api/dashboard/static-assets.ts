import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The built page's entry file, by which its folder is recognised. */
const ENTRY = 'index.html';

/**
 * Where the built dashboard is: `dist/web`, next to the compiled `dist/src` (from the compiled
 * service), or under the repository's `dist/` (when the TypeScript sources run, as under Jest).
 * Undefined when it was never built.
 */
export function dashboardAssetsDir(): string | undefined {
  const candidates = [join(__dirname, '../../../web'), join(__dirname, '../../../dist/web')];
  return candidates.find((dir) => existsSync(join(dir, ENTRY)) && existsSync(join(dir, 'app.js')));
}
