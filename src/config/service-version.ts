import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The package this service is, as its package.json names it. */
const PACKAGE_NAME = 'hpo-service';

let cached: string | undefined;

/** The service's version from its package.json (found upward from this file, built or not): one source for `hpo --version` and the OpenAPI document. */
export function serviceVersion(): string {
  if (cached) return cached;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === PACKAGE_NAME && pkg.version) return (cached = pkg.version);
    }
    if (dirname(dir) === dir) return (cached = '0.0.0');
  }
}
