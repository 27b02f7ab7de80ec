import { createHttpApp } from '../../api/http-server';
import { readServiceSettings } from '../../config/service-settings';
import { optionalInteger } from '../option-parsing';
import { openServiceContext } from '../../context/service-context';
import { CliIO } from '../cli-output';
import { EXIT } from '../cli-context';
import { SettingsError } from '../../domain/errors';

/** Options of `hpo serve`. */
export interface ServeOptions {
  db?: string;
  port?: string;
  host?: string;
}

/**
 * `hpo serve`: the REST service. Experiments a previous process left RUNNING are resumed first;
 * on SIGINT/SIGTERM runners stop without recording, so the next start resumes them again.
 */
export async function serveCommand(options: ServeOptions, io: CliIO): Promise<number> {
  const port = optionalInteger(options.port, '--port', 0, 65_535);
  const settings = readServiceSettings({ ...(options.db ? { db: options.db } : {}), ...(port !== undefined ? { port } : {}), ...(options.host ? { host: options.host } : {}) });
  const ctx = await openServiceContext(settings);
  const resumed = await ctx.experiments.resumeInterrupted();
  if (resumed.length) io.err(`hpo: resumed experiments ${resumed.join(', ')}`);
  // Nest's start-up lines (one per route) would bury the one line that matters, printed below.
  const app = await createHttpApp(ctx, ['error', 'warn']);
  try {
    await app.listen(settings.port, settings.host);
  } catch (error) {
    await app.close().catch(() => undefined);
    await ctx.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new SettingsError(`port ${settings.port} on ${settings.host} is in use: pass --port (or HPO_PORT) another port`);
    throw error;
  }
  io.err(`hpo: serving on http://${settings.host}:${(app.getHttpServer().address() as { port: number }).port}/api (OpenAPI at /docs), records in ${settings.db}`);
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await app.close();
  await ctx.close();
  return EXIT.ok;
}
