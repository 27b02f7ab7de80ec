import { createHttpApp } from '../../api/http-server';
import { readServiceSettings } from '../../config/service-settings';
import { openServiceContext } from '../../context/service-context';
import { CliIO } from '../cli-output';
import { EXIT } from '../cli-context';

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
  const settings = readServiceSettings({ ...(options.db ? { db: options.db } : {}), ...(options.port ? { port: Number(options.port) } : {}), ...(options.host ? { host: options.host } : {}) });
  const ctx = await openServiceContext(settings);
  const resumed = await ctx.experiments.resumeInterrupted();
  if (resumed.length) io.err(`hpo: resumed experiments ${resumed.join(', ')}`);
  const app = await createHttpApp(ctx, ['error', 'warn', 'log']);
  await app.listen(settings.port, settings.host);
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
