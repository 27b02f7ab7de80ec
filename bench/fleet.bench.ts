/**
 * Trials through the queue: one `hpo serve --queue` (SQLite file: the scheduler is the one writer)
 * and 1, 2 or 4 `hpo worker` processes of one slot each, against the same service's in-process
 * piscina pool with as many slots (`HPO_SLOTS`). Per setting: trivial trials per second (a module
 * returning x², `--trials` trials at parallelism = slots) and the wall time per trial the queue adds;
 * then 40 one-second trials on 4 single-slot workers against the ideal 10 s. Times are the
 * experiment's own elapsed time (created to finished) as the service reports it; medians of `--runs`.
 * Run: `npm run build && node dist/bench/fleet.bench.js [--trials 400] [--runs 3] [--redis redis://127.0.0.1:6379]`.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Queue } from 'bullmq';
import { machine, median, writeResult } from './bench-io';

const ROOT = resolve(__dirname, '..', '..');
const BIN = join(ROOT, 'bin/hpo.js');
const TRIVIAL = join(ROOT, 'bench/fixtures/trivial-objective.js');
const ONE_SECOND = join(ROOT, 'bench/fixtures/one-second-objective.js');

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const TRIALS = Number(arg('trials', '400'));
const RUNS = Number(arg('runs', '3'));
const REDIS = arg('redis', 'redis://127.0.0.1:6379');

/** Starts an hpo process and resolves once its stderr matched `ready` (with the match). */
async function start(args: string[], cwd: string, env: NodeJS.ProcessEnv, ready: RegExp): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let said = '';
  const match = await new Promise<RegExpExecArray>((done, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args[0]}: not ready: ${said}`)), 30_000);
    child.stderr!.on('data', (d: Buffer) => {
      said += d.toString();
      const m = ready.exec(said);
      if (m) {
        clearTimeout(timer);
        done(m);
      }
    });
  });
  return { child, match };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
}

/** Runs one experiment on a service; its elapsed time in ms. */
async function elapsed(port: number, module: string, trials: number, parallelism: number): Promise<number> {
  const body = {
    name: `bench-${randomUUID().slice(0, 8)}`,
    objective: { metric: 'value', direction: 'minimize' },
    space: { x: { type: 'float', low: -1, high: 1 } },
    search: { algorithm: 'random', seed: 1 },
    budget: { maxTrials: trials, parallelism, trialTimeoutSec: 60 },
    trial: { kind: 'module', module },
  };
  const res = await fetch(`http://127.0.0.1:${port}/api/experiments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const { id } = (await res.json()) as { id: number };
  for (;;) {
    const e = (await (await fetch(`http://127.0.0.1:${port}/api/experiments/${id}`)).json()) as { state: string; elapsedMs: number };
    if (e.state !== 'RUNNING') {
      if (e.state !== 'COMPLETE') throw new Error(`experiment ${id} ended ${e.state}`);
      return e.elapsedMs;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A service (with a queue and `workers` worker processes, or with `slots` pool threads) for the length of `work`. */
async function withSetup<T>(queue: boolean, slots: number, work: (port: number) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'hpo-bench-fleet-'));
  const prefix = `hpo-bench-${process.pid}-${randomUUID().slice(0, 8)}`;
  const env = { HPO_HOME: dir, HPO_QUEUE_PREFIX: prefix, HPO_SLOTS: String(slots) };
  const children: ChildProcess[] = [];
  try {
    const args = ['serve', '--db', join(dir, 'bench.db'), '--port', '0', ...(queue ? ['--queue', REDIS] : [])];
    const service = await start(args, dir, env, /serving on http:\/\/127\.0\.0\.1:(\d+)/);
    children.push(service.child);
    const port = Number(service.match[1]);
    if (queue) {
      for (let i = 0; i < slots; i++) {
        const w = await start(
          ['worker', '--queue', REDIS, '--api', `http://127.0.0.1:${port}`, '--slots', '1'],
          dir,
          { ...env, HPO_HOME: join(dir, `w${i}`) },
          /takes trials from/,
        );
        children.push(w.child);
      }
    }
    await elapsed(port, TRIVIAL, 20, slots); // warm-up: threads started, module loaded, files cached
    return await work(port);
  } finally {
    await Promise.all(children.map(stop));
    const q = new Queue('trials', { connection: { host: new URL(REDIS).hostname, port: Number(new URL(REDIS).port || 6379) }, prefix });
    // Every key under the prefix (both queues, their events and metadata).
    const client = (await q.client) as unknown as { keys(pattern: string): Promise<string[]>; del(...keys: string[]): Promise<number> };
    const keys = await client.keys(`${prefix}:*`);
    if (keys.length) await client.del(...keys);
    await q.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const rows: {
    workers: number;
    queueTrialsPerSec: number;
    poolTrialsPerSec: number;
    queueMsPerTrial: number;
    poolMsPerTrial: number;
    overheadMsPerTrial: number;
  }[] = [];
  for (const n of [1, 2, 4]) {
    const q = await withSetup(true, n, async (port) => {
      const times: number[] = [];
      for (let r = 0; r < RUNS; r++) times.push(await elapsed(port, TRIVIAL, TRIALS, n));
      return median(times);
    });
    const p = await withSetup(false, n, async (port) => {
      const times: number[] = [];
      for (let r = 0; r < RUNS; r++) times.push(await elapsed(port, TRIVIAL, TRIALS, n));
      return median(times);
    });
    rows.push({
      workers: n,
      queueTrialsPerSec: TRIALS / (q / 1000),
      poolTrialsPerSec: TRIALS / (p / 1000),
      queueMsPerTrial: q / TRIALS,
      poolMsPerTrial: p / TRIALS,
      overheadMsPerTrial: (q - p) / TRIALS,
    });
    console.error(`${n} workers: queue ${q} ms, pool ${p} ms for ${TRIALS} trials`);
  }
  const packing = await withSetup(true, 4, async (port) => {
    const times: number[] = [];
    for (let r = 0; r < RUNS; r++) times.push(await elapsed(port, ONE_SECOND, 40, 4));
    return median(times);
  });
  console.log('| worker processes (1 slot each) | queue trials/s | pool trials/s (same slots) | queue ms/trial | pool ms/trial | added ms/trial |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.workers} | ${r.queueTrialsPerSec.toFixed(1)} | ${r.poolTrialsPerSec.toFixed(1)} | ${r.queueMsPerTrial.toFixed(2)} | ${r.poolMsPerTrial.toFixed(2)} | ${r.overheadMsPerTrial.toFixed(2)} |`,
    );
  console.log(
    `\n40 one-second trials on 4 single-slot workers: ${(packing / 1000).toFixed(2)} s against the ideal 10 s: ${((10_000 / packing) * 100).toFixed(1)}% of ideal`,
  );
  const file = writeResult('fleet', {
    machine: machine(),
    trials: TRIALS,
    runs: RUNS,
    rows,
    packing: { elapsedMs: packing, idealMs: 10_000, efficiency: 10_000 / packing },
  });
  console.log(`\nwritten to ${file}`);
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
