import { availableParallelism, homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { DEFAULT_STOP_GRACE_SEC } from '../../config/service-settings';
import { BadRequestError } from '../../domain/errors';
import { DEFAULT_QUEUE_PREFIX, GPU_TRIAL_QUEUE } from '../../fleet/fleet-protocol';
import { defaultGpuProbe, GpuProbe, gpuProblem, GpuSlots } from '../../fleet/gpu-slots';
import { DEFAULT_JOB_LOCK_MS, FleetWorker } from '../../fleet/fleet-worker';
import { DEFAULT_WORKER_LOST_MS } from '../../fleet/queue-dispatcher';
import { redisConnection } from '../../fleet/redis-connection';
import { ServiceClient } from '../../fleet/service-client';
import { WorkerView } from '../../fleet/worker-directory';
import { CliIO, fmt, printJson, table } from '../cli-output';
import { EXIT } from '../cli-context';
import { integerOption, optionalInteger } from '../option-parsing';
import type { Act } from './models.command';

/** The queue settings every fleet process reads from its environment: the Redis key prefix and the lost time. */
export function queueEnv(url: string, env: NodeJS.ProcessEnv = process.env): { url: string; prefix: string; lostAfterMs: number } {
  const lostSec = env.HPO_WORKER_LOST_SEC ? Number(env.HPO_WORKER_LOST_SEC) : DEFAULT_WORKER_LOST_MS / 1000;
  if (!(lostSec > 0))
    throw new BadRequestError([{ path: 'HPO_WORKER_LOST_SEC', message: `must be a number of seconds above 0, got ${env.HPO_WORKER_LOST_SEC}` }]);
  return { url, prefix: env.HPO_QUEUE_PREFIX || DEFAULT_QUEUE_PREFIX, lostAfterMs: lostSec * 1000 };
}

/** `--gpus 0,1` as device numbers. */
export function gpuList(text: string | undefined): number[] {
  if (!text) return [];
  return text.split(',').map((part) => {
    if (!/^\s*\d+\s*$/.test(part)) throw new BadRequestError([{ path: '--gpus', message: `expected device numbers such as 0,1, got "${text}"` }]);
    return Number(part);
  });
}

/** Options of `hpo worker`. */
export interface WorkerOptions {
  queue: string;
  api: string;
  key?: string;
  slots?: string;
  gpus?: string;
  tags?: string;
  cacheDir?: string;
  /** Set on a GPU slot's own process (started by its parent worker): the device it drives. */
  gpuSlot?: string;
}

/** Starts a fleet worker in this process (also used by `hpo serve --workers N`). */
export async function startWorker(options: WorkerOptions, apis: string[]): Promise<FleetWorker> {
  const { url, prefix } = queueEnv(options.queue);
  redisConnection(url); // a mistyped URL is said before anything waits on the services
  const home = resolve(process.env.HPO_HOME ?? join(homedir(), '.hpo'));
  const gpuSlot = options.gpuSlot === undefined ? undefined : gpuList(options.gpuSlot)[0];
  const worker = new FleetWorker({
    ...(gpuSlot !== undefined ? { queueName: GPU_TRIAL_QUEUE } : {}),
    queueUrl: url,
    prefix,
    apis,
    ...(options.key || process.env.HPO_API_KEY ? { key: options.key || process.env.HPO_API_KEY } : {}),
    slots: gpuSlot !== undefined ? 1 : integerOption(options.slots, '--slots', availableParallelism(), 1, 1024),
    gpus: gpuSlot !== undefined ? [gpuSlot] : [],
    tags: [...(options.tags ? options.tags.split(',').filter(Boolean) : []), ...(gpuSlot !== undefined ? ['gpu'] : [])],
    cacheDir: resolve(options.cacheDir ?? join(home, 'worker-cache')),
    workDir: join(home, 'worker-runs', String(process.pid)),
    lockMs: optionalInteger(process.env.HPO_JOB_LOCK_MS, 'HPO_JOB_LOCK_MS', 500) ?? DEFAULT_JOB_LOCK_MS,
  });
  await worker.start();
  return worker;
}

/** `hpo worker`: runs trials from the queue until SIGTERM or Ctrl-C (graceful), or a second signal (at once). */
export async function workerCommand(options: WorkerOptions, io: CliIO, probe: GpuProbe = defaultGpuProbe()): Promise<number> {
  const apis = options.api
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  const gpus = gpuList(options.gpus);
  const problem = options.gpuSlot === undefined ? gpuProblem(gpus, probe) : undefined;
  if (problem) throw new BadRequestError([{ path: '--gpus', message: problem }]);
  const worker = await startWorker(options, apis);
  const role = options.gpuSlot !== undefined ? `GPU ${options.gpuSlot} slot` : 'worker';
  io.err(`hpo: ${role} ${worker.id} takes trials from ${options.queue} and reports to ${apis.join(', ')}`);
  // One process per GPU (a native binding loads in one thread per process), each taking from the GPU queue.
  const slots = new GpuSlots(gpus, (gpu) => gpuSlotCommand(options, gpu), io.err);
  slots.start();
  if (gpus.length) io.err(`hpo: GPU slots ${gpus.join(', ')}: one process each, pids ${Object.values(slots.pids()).join(', ')}`);
  const signal = await new Promise<string>((done) => {
    process.once('SIGINT', () => done('SIGINT'));
    process.once('SIGTERM', () => done('SIGTERM'));
  });
  const now = (): void => void Promise.all([worker.close(), slots.stop()]).finally(() => process.exit(EXIT.ok));
  process.once('SIGINT', now);
  process.once('SIGTERM', now);
  const grace = Number(process.env.HPO_STOP_GRACE_SEC ?? DEFAULT_STOP_GRACE_SEC);
  io.err(`hpo: ${signal}: no new trials; ${worker.busy} running get ${grace} s to finish`);
  await Promise.all([worker.stop(grace * 1000), slots.stop()]);
  return EXIT.ok;
}

/** How a GPU slot's process is started: this same `hpo worker`, one slot, its device, the GPU queue. */
function gpuSlotCommand(options: WorkerOptions, gpu: number): { file: string; args: string[]; env: NodeJS.ProcessEnv } {
  const args = [process.argv[1], 'worker', '--queue', options.queue, '--api', options.api, '--gpu-slot', String(gpu)];
  if (options.tags) args.push('--tags', options.tags);
  if (options.cacheDir) args.push('--cache-dir', options.cacheDir);
  // The key travels in the environment, not on a command line other users of the machine can read.
  const key = options.key || process.env.HPO_API_KEY;
  return { file: process.execPath, args, env: { ...process.env, ...(key ? { HPO_API_KEY: key } : {}) } };
}

/** `hpo workers`: the workers a service has heard of, and the queue depth per experiment. */
export async function workersCommand(options: { api: string; key?: string; json?: boolean }, io: CliIO): Promise<number> {
  const client = new ServiceClient([options.api], options.key || process.env.HPO_API_KEY, 5_000);
  const body = await client.getJson<{ queue: boolean; workers: WorkerView[]; queueDepth: Record<string, number> }>('workers');
  if (options.json) {
    printJson(io, body);
    return EXIT.ok;
  }
  if (!body.queue) io.err('hpo: this service runs no queue (start it with hpo serve --queue redis://…)');
  const now = Date.now();
  io.out(
    table(
      ['worker', 'host', 'slots', 'gpus', 'running', 'last heartbeat', 'alive'],
      body.workers.map((w) => [
        w.id,
        w.host,
        w.slots,
        w.gpus.join(',') || '-',
        w.running.map((r) => `${r.experimentId}/${r.trialId}#${r.attempt}`).join(' ') || '-',
        `${fmt((now - w.lastHeartbeat) / 1000)} s ago`,
        w.alive ? 'yes' : 'no',
      ]),
    ),
  );
  const depth = Object.entries(body.queueDepth);
  if (depth.length) io.out(`queued: ${depth.map(([id, n]) => `experiment ${id}: ${n}`).join(', ')}`);
  return EXIT.ok;
}

/** Adds `hpo worker` and `hpo workers`. */
export function addFleetCommands(program: Command, act: Act, io: CliIO): void {
  program
    .command('worker')
    .description('run trials from a queue (BullMQ on Redis) for the services at --api')
    .requiredOption('--queue <url>', 'redis://host:6379 (key prefix HPO_QUEUE_PREFIX)')
    .requiredOption('--api <urls>', 'the service address, or several separated by commas (tried in order)')
    .option('--key <key>', 'API key sent as Authorization: Bearer (or HPO_API_KEY)')
    .option('--slots <n>', 'trials at once (default: the CPU cores)')
    .option('--gpus <list>', 'GPU device numbers, such as 0,1')
    .option('--tags <list>', 'labels shown by hpo workers, separated by commas')
    .option('--cache-dir <dir>', 'where fetched input files are kept (default $HPO_HOME/worker-cache)')
    .addOption(new Option('--gpu-slot <n>', 'run as the slot process of one GPU (started by a worker with --gpus)').hideHelp())
    .action(act((o: WorkerOptions) => workerCommand(o, io)));
  program
    .command('workers')
    .description("a service's workers: host, slots, GPUs, running trials, last heartbeat; queue depth per experiment")
    .option('--api <url>', 'the service address', 'http://127.0.0.1:3000')
    .option('--key <key>', 'API key (or HPO_API_KEY)')
    .option('--json', 'print one JSON document')
    .action(act((o: { api: string; key?: string; json?: boolean }) => workersCommand(o, io)));
}
