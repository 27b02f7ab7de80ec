import { ChildProcess, spawnSync } from 'node:child_process';
import { postgresAvailable } from './storage-targets';
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { hpoBackground, serving } from './cli-runner';
import { until } from './waiting';

/** Redis as every machine of ours runs it. */
export const TEST_REDIS_URL = process.env.HPO_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Whether Redis answered when this run started (`global-setup.js`); a file run on its own asks for itself. */
const redisAvailable =
  process.env.HPO_TEST_REDIS === undefined
    ? spawnSync('redis-cli', ['-u', TEST_REDIS_URL, 'ping'], { encoding: 'utf8', timeout: 5_000 }).stdout?.trim() === 'PONG'
    : process.env.HPO_TEST_REDIS === 'available';

/** `describe` when PostgreSQL and Redis are both there (the fleet's two engines), `describe.skip` (reported as skipped) otherwise. */
export const describeFleet = postgresAvailable && redisAvailable ? describe : describe.skip;

/** A Redis key prefix of its own for one test file, and a way to remove every key under it. */
export function queuePrefix(): { prefix: string; cleanup: () => Promise<void> } {
  const prefix = `hpo-test-${process.pid}-${randomUUID().slice(0, 8)}`;
  return {
    prefix,
    cleanup: async () => {
      const q = new Queue('trials', { connection: { host: '127.0.0.1', port: 6379 }, prefix });
      await q.obliterate({ force: true }).catch(() => undefined);
      // Every key under the prefix (both queues, their events and metadata).
      const client = (await q.client) as unknown as { keys(pattern: string): Promise<string[]>; del(...keys: string[]): Promise<number> };
      const keys = await client.keys(`${prefix}:*`);
      if (keys.length) await client.del(...keys);
      await q.close();
    },
  };
}

/** An `hpo worker` process; `stderr()` is what it said. */
export interface WorkerProcess {
  child: ChildProcess;
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts `hpo worker` and resolves once it announced itself. */
export async function startWorkerProcess(args: string[], cwd: string, env: NodeJS.ProcessEnv, redis = TEST_REDIS_URL): Promise<WorkerProcess> {
  const child = hpoBackground(['worker', '--queue', redis, ...args], cwd, env);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  await until(
    () => (/takes trials from/.test(stderr) ? true : child.exitCode !== null ? Promise.reject(new Error(stderr)) : undefined),
    20_000,
    'worker start',
  );
  return {
    child,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

/** `hpo serve --queue` on a database, with its port. */
export function queueService(db: string, cwd: string, env: NodeJS.ProcessEnv, extra: string[] = []) {
  return serving(['--db', db, '--port', '0', '--queue', TEST_REDIS_URL, ...extra], cwd, env);
}

/** GET a JSON document from a service. */
export async function getJson<T>(port: number, path: string): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${port}/api/${path}`);
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** POSTs an experiment; resolves to its id. */
export async function submit(port: number, body: unknown): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/api/experiments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`submit: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: number }).id;
}

/** A trial as the trials listing gives it. */
export interface TrialRow {
  id: number;
  number: number;
  state: string;
  params: Record<string, unknown>;
  value: number | null;
  failure?: string | null;
  retried?: boolean;
  attempt?: number;
}

/** Every trial of an experiment, in number order. */
export async function allTrials(port: number, id: number): Promise<TrialRow[]> {
  const out: TrialRow[] = [];
  let cursor: string | undefined;
  do {
    const page = await getJson<{ items: TrialRow[]; nextCursor?: string }>(port, `experiments/${id}/trials?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** Waits for an experiment to leave RUNNING; its final state. */
export function finalState(port: number, id: number, timeoutMs = 180_000): Promise<string> {
  return until(
    async () => {
      const e = await getJson<{ state: string }>(port, `experiments/${id}`);
      return e.state === 'RUNNING' ? undefined : e.state;
    },
    timeoutMs,
    `experiment ${id} to end`,
    200,
  );
}

/** A module experiment over `x` in [-3, 3] (and more parameters when given), minimising `loss`. */
export function moduleExperiment(
  name: string,
  module: string,
  options: {
    seed: number;
    maxTrials: number;
    parallelism: number;
    space?: Record<string, unknown>;
    budget?: Record<string, unknown>;
    resources?: Record<string, unknown>;
  },
) {
  return {
    name,
    objective: { metric: 'loss', direction: 'minimize' },
    space: { x: { type: 'float', low: -3, high: 3 }, ...options.space },
    search: { algorithm: 'random', seed: options.seed },
    budget: { maxTrials: options.maxTrials, parallelism: options.parallelism, trialTimeoutSec: 30, ...options.budget },
    trial: { kind: 'module', module, ...(options.resources ? { resources: options.resources } : {}) },
  };
}
