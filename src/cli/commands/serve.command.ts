import { existsSync } from 'node:fs';
import { isDatabaseUrl, readServiceSettings } from '../../config/service-settings';
import { openServiceContext, ServiceContext } from '../../context/service-context';
import { CliIO } from '../cli-output';
import { EXIT } from '../cli-context';
import { optionalInteger } from '../option-parsing';

/** The REST service listening; the CLI only starts and stops it. */
export interface HttpFrontDoor {
  /** The port it listens on (the one asked for, or the one the OS chose for 0). */
  port: number;
  close(): Promise<void>;
}

/** Starts the REST front door over a context (given to the CLI by the process entry, `src/main.ts`: the CLI does not import the API). */
export type HttpFrontDoorFactory = (ctx: ServiceContext, port: number, host: string) => Promise<HttpFrontDoor>;

/** Options of `hpo serve`. */
export interface ServeOptions {
  db?: string;
  port?: string;
  host?: string;
}

/**
 * `hpo serve`: the REST service. It opens the database, creating it when it is new and saying so
 * (a service is often started first on a fresh machine); experiments a previous process left
 * RUNNING are resumed. On SIGINT/SIGTERM runners stop without recording, so the next start resumes them.
 */
export async function serveCommand(options: ServeOptions, io: CliIO, http: HttpFrontDoorFactory): Promise<number> {
  const port = optionalInteger(options.port, '--port', 0, 65_535);
  const settings = readServiceSettings({
    ...(options.db ? { db: options.db } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(options.host ? { host: options.host } : {}),
  });
  const isNew = !isDatabaseUrl(settings.db) && !existsSync(settings.db);
  const ctx = await openServiceContext(settings);
  let door: HttpFrontDoor;
  try {
    door = await http(ctx, settings.port, settings.host);
  } catch (error) {
    await ctx.close();
    throw error;
  }
  io.err(isNew ? `hpo: created a new, empty database at ${settings.db}` : `hpo: records in ${settings.db}`);
  const resumed = await ctx.experiments.resumeInterrupted();
  if (resumed.length) io.err(`hpo: resumed experiments ${resumed.join(', ')}`);
  io.err(`hpo: serving on http://${settings.host}:${door.port}/api (OpenAPI at /docs)`);
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await door.close();
  await ctx.close();
  return EXIT.ok;
}
