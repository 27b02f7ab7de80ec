import { INestApplication } from '@nestjs/common';
import { join, resolve } from 'node:path';
import { createHttpApp } from '../../src/api/http-server';
import { SecuritySettings } from '../../src/config/security-settings';
import { readServiceSettings, ServiceSettings } from '../../src/config/service-settings';
import { openServiceContext, ServiceContext } from '../../src/context/service-context';
import { tempDir } from './temp-dir';

/**
 * A real HTTP app over a real SQLite file in a temp folder. `env` is the service's environment
 * (`HPO_DATA_ROOTS`, `HPO_COMMANDS`, ...); the roots are the app's temp folder and the repository unless it names them.
 * `given` replaces settings, `given.security` the front door's defaults.
 */
export async function openHttpApp(
  env: NodeJS.ProcessEnv = {},
  given: Partial<Omit<ServiceSettings, 'security'>> & { security?: Partial<SecuritySettings> } = {},
): Promise<{ app: INestApplication; context: ServiceContext; dir: string; close: () => Promise<void> }> {
  const tmp = tempDir('hpo-e2e-');
  // Unless the test names its own roots: the app's folder and the repository (fixtures, example datasets).
  const roots = `${tmp.dir}:${resolve(__dirname, '../..')}`;
  const context = await openServiceContext(
    readServiceSettings({ db: join(tmp.dir, 'hpo.db'), ...given }, { HPO_DATA_ROOTS: roots, HPO_CODE_ROOTS: roots, ...env }),
  );
  const app = await createHttpApp(context);
  await app.init();
  return {
    app,
    context,
    dir: tmp.dir,
    close: async () => {
      await app.close();
      await context.close();
      tmp.cleanup();
    },
  };
}

/** Polls `check` until it returns a value or the time runs out. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 60_000, everyMs = 200): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
