import { existsSync } from 'node:fs';
import { isDatabaseUrl, readServiceSettings } from '../../config/service-settings';
import { openServiceContext, ServiceContext } from '../../context/service-context';
import { CliIO } from '../cli-output';
import { EXIT } from '../cli-context';
import { BadRequestError } from '../../domain/errors';
import { optionalInteger } from '../option-parsing';
import { isLoopback } from '../../auth/network-policy';
import { SettingsError } from '../../domain/errors';

/**
 * A service bound to an address other than loopback, with no key, would let anyone who reaches
 * the port run experiments: it does not start, unless `--insecure-no-auth` says so (and then it
 * says so on every start).
 */
async function refuseOpenPublicAddress(ctx: ServiceContext, host: string, io: CliIO): Promise<void> {
  if (ctx.settings.security.insecureNoAuth) {
    io.err(`hpo: WARNING: --insecure-no-auth: no API keys are checked; anyone who reaches ${host} may submit, change and delete anything`);
    return;
  }
  if (isLoopback(host) || (await ctx.keys.anyActive())) return;
  throw new SettingsError(
    `hpo serve on ${host} (not loopback) needs an API key first: run \`hpo keys create --name admin --scope admin\` on this database, or pass --insecure-no-auth to serve without keys`,
  );
}
import { queueEnv, startWorker } from './fleet.command';
import { redisConnection } from '../../fleet/redis-connection';
import type { FleetWorker } from '../../fleet/fleet-worker';

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
  insecureNoAuth?: boolean;
  queue?: string;
  workers?: string;
  role?: string;
}

/**
 * `hpo serve`: the REST service. It opens the database, creating it when it is new and saying so
 * (a service is often started first on a fresh machine); it adopts experiments whose owner died, at
 * start and every sweep after. SIGINT/SIGTERM stop it gracefully: no new trials, running ones get
 * `HPO_STOP_GRACE_SEC` to finish, then its experiments are released for another process at once.
 */
export async function serveCommand(options: ServeOptions, io: CliIO, http: HttpFrontDoorFactory): Promise<number> {
  const port = optionalInteger(options.port, '--port', 0, 65_535);
  const settings = readServiceSettings({
    ...(options.db ? { db: options.db } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(options.host ? { host: options.host } : {}),
    ...(options.insecureNoAuth ? { security: { insecureNoAuth: true } } : {}),
  });
  const isNew = !isDatabaseUrl(settings.db) && !existsSync(settings.db);
  const role = options.role ?? 'all';
  if (role !== 'all' && role !== 'serving') throw new BadRequestError([{ path: '--role', message: `must be all or serving, got "${role}"` }]);
  if (options.queue) redisConnection(options.queue);
  const localWorkers = optionalInteger(options.workers, '--workers', 0, 1024) ?? 0;
  if (localWorkers > 0 && !options.queue)
    throw new BadRequestError([{ path: '--workers', message: 'needs --queue (without it trials run in this process anyway)' }]);
  const ctx = await openServiceContext(settings, {
    ...(options.queue && role === 'all' ? { queue: queueEnv(options.queue) } : {}),
    ...(role === 'serving' ? { experiments: { runsExperiments: false } } : {}),
  });
  let door: HttpFrontDoor;
  try {
    await refuseOpenPublicAddress(ctx, settings.host, io);
    door = await http(ctx, settings.port, settings.host);
  } catch (error) {
    await ctx.close();
    throw error;
  }
  io.err(isNew ? `hpo: created a new, empty database at ${settings.db}` : `hpo: records in ${settings.db}`);
  // Adopts what dead processes left at once, then every few seconds: a crashed peer's experiments move here within a lease and a sweep.
  // A serving replica only answers predictions: it never takes experiments over.
  // Jobs the dead owner left on the queue would only run to have their results refused: they are taken off it.
  if (role === 'all')
    ctx.experiments.startSweeping(undefined, (ids) => {
      io.err(`hpo: resumed experiments ${ids.join(', ')}`);
      ctx.fleet
        ?.removeStaleJobs(ids)
        .then((n) => n > 0 && io.err(`hpo: removed ${n} queued jobs of experiments ${ids.join(', ')} left by their previous owner`))
        .catch((error: Error) => process.emitWarning(`the queue's stale jobs were not removed: ${error.message}`));
    });
  let worker: FleetWorker | undefined;
  if (localWorkers > 0) {
    const self = `http://${settings.host === '0.0.0.0' || settings.host === '::' ? '127.0.0.1' : settings.host}:${door.port}`;
    worker = await startWorker({ queue: options.queue!, api: self, slots: String(localWorkers) }, [self]);
    io.err(`hpo: ${localWorkers} worker slots in this process take trials from ${options.queue}`);
  }
  if (options.queue && role === 'all') io.err(`hpo: trials go on the queue at ${options.queue} for hpo worker processes`);
  io.err(`hpo: serving on http://${settings.host}:${door.port}/api (OpenAPI at /docs)`);
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  // A second signal does not wait for the grace: trials stay RUNNING and are adopted after the lease.
  const now = (): void => {
    io.err('hpo: stopping at once');
    void ctx.close().finally(() => process.exit(EXIT.ok));
  };
  process.once('SIGINT', now);
  process.once('SIGTERM', now);
  io.err(`hpo: ${signal}: stopping; running trials have ${settings.stopGraceSec} s to finish`);
  await worker?.stop(settings.stopGraceSec * 1000);
  // With a queue, remote workers hand their results in over HTTP during the grace: the door closes after it.
  if (!ctx.fleet) await door.close();
  const released = await ctx.stop(settings.stopGraceSec * 1000);
  if (ctx.fleet) await door.close();
  if (released.length) io.err(`hpo: gave up experiments ${released.join(', ')} for another process to adopt`);
  return EXIT.ok;
}
