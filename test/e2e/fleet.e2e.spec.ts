import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { hpo, hpoAsync } from '../support/cli-runner';
import {
  allTrials,
  finalState,
  getJson,
  queuePrefix,
  queueService,
  startWorkerProcess,
  submit,
  TrialRow,
  WorkerProcess,
  describeFleet,
} from '../support/fleet-fixture';
import { postgresTarget, TestTarget } from '../support/storage-targets';
import { tempDir } from '../support/temp-dir';
import { until } from '../support/waiting';

const QUADRATIC = resolve(__dirname, '../fixtures/objectives/quadratic-pid.js');
const PACED = resolve(__dirname, '../fixtures/objectives/paced-pid.mjs');
const IRIS = resolve(__dirname, '../../experiments/data/iris.csv');

const moduleConfig = (parallelism: number) => ({
  name: 'fleet-quadratic',
  objective: { metric: 'loss', direction: 'minimize' },
  space: { x: { type: 'float', low: -3, high: 3 }, k: { type: 'int', low: 0, high: 6 } },
  search: { algorithm: 'random', seed: 3 },
  budget: { maxTrials: 200, parallelism, trialTimeoutSec: 30 },
  trial: { kind: 'module', module: QUADRATIC },
});

const tfjsConfig = (parallelism: number) => ({
  name: 'fleet-iris',
  objective: { metric: 'val_accuracy', direction: 'maximize' },
  space: { learning_rate: { type: 'float', low: 0.005, high: 0.1, log: true }, hidden_units: { type: 'int', low: 8, high: 32, step: 8 } },
  search: { algorithm: 'random', seed: 11 },
  budget: { maxTrials: 3, parallelism, trialTimeoutSec: 120 },
  trial: { kind: 'tfjs', task: 'classification', model: 'mlp', dataset: { path: IRIS, target: 'species', validation: { fraction: 0.3, seed: 1 } }, epochs: 4 },
});

/** What must match between two runs: each trial's number, state, parameters and objective value. */
const essence = (trials: { number: number; state: string; params: unknown; value: number | null }[]) =>
  trials.map(({ number, state, params, value }) => ({ number, state, params, value }));

/** The same config run in process (`hpo run`, SQLite, worker threads) at parallelism 1. */
async function inProcess(dir: string, name: string, config: unknown) {
  const file = resolve(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(config));
  // Not spawnSync: this process keeps talking to the service, and a blocked event loop would miss
  // the service closing idle connections, then send a request on one ("other side closed").
  const run = await hpoAsync(['run', file, '--db', `${name}.db`, '--json'], dir, { HPO_HOME: dir });
  expect(run.stderr).not.toMatch(/Error/);
  return JSON.parse(run.stdout) as { state: string; trials: { number: number; state: string; params: unknown; value: number | null }[] };
}

describeFleet('trials on many machines: one hpo serve --queue, three hpo worker processes, BullMQ on Redis, PostgreSQL', () => {
  const tmp = tempDir('hpo-fleet-');
  const queue = queuePrefix();
  let db: TestTarget;
  let service: Awaited<ReturnType<typeof queueService>>;
  const workers: WorkerProcess[] = [];
  const env = () => ({ HPO_QUEUE_PREFIX: queue.prefix, HPO_HOME: tmp.dir, HPO_WORKER_LOST_SEC: '3', HPO_JOB_LOCK_MS: '2000' });

  beforeAll(async () => {
    db = await postgresTarget();
    service = await queueService((db.target as { url: string }).url, tmp.dir, env());
    for (let i = 0; i < 3; i++) {
      // Each worker its own home: its own input cache, as on another machine.
      const home = resolve(tmp.dir, `worker-${i}`);
      workers.push(await startWorkerProcess(['--api', `http://127.0.0.1:${service.port}`, '--slots', '1'], tmp.dir, { ...env(), HPO_HOME: home }));
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await service?.stop();
    await db?.drop();
    await queue.cleanup();
    tmp.cleanup();
  });

  it('runs a 200-trial module experiment on the workers with the same parameters and values as an in-process run at parallelism 1', async () => {
    const id = await submit(service.port, moduleConfig(1));
    expect(await finalState(service.port, id)).toBe('COMPLETE');
    const remote = await allTrials(service.port, id);
    // The dashboard's timeline lays each trial out by the worker that ran it (named by its pid), not by the scheduler that held it.
    const { timeline } = await getJson<{ timeline: { bars: { kind: string; worker: string }[] } }>(service.port, `experiments/${id}/overview`);
    expect(timeline.bars).toHaveLength(200);
    expect(new Set(timeline.bars.map((b) => b.kind))).toEqual(new Set(['fleet']));
    const names = new Set(timeline.bars.map((b) => b.worker));
    expect(names.size).toBeGreaterThan(1);
    for (const name of names) expect(workers.some((w) => name.includes(`-${w.child.pid}-`))).toBe(true);
    const local = await inProcess(tmp.dir, 'quadratic', moduleConfig(1));
    expect(remote).toHaveLength(200);
    expect(essence(remote)).toEqual(essence(local.trials));
    // The trials went to more than one worker process, none of them this service.
    const pids = new Set(remote.map((t) => (t as TrialRow & { metrics: { worker_pid: number } }).metrics.worker_pid));
    expect(pids.size).toBeGreaterThan(1);
    expect(pids.has(service.child.pid!)).toBe(false);
    // Intermediate reports reached the scheduler and were stored.
    const detail = await getJson<{ curve: { loss: { step: number }[] } }>(service.port, `experiments/${id}/trials/7`);
    expect(detail.curve.loss.map((p) => p.step)).toEqual([1, 2, 3]);
  }, 240_000);

  it('runs a tfjs experiment on the workers (dataset fetched by hash) with the values of an in-process run; the artifacts come back with the service', async () => {
    const id = await submit(service.port, tfjsConfig(1));
    expect(await finalState(service.port, id)).toBe('COMPLETE');
    const remote = await allTrials(service.port, id);
    const local = await inProcess(tmp.dir, 'iris', tfjsConfig(1));
    expect(essence(remote)).toEqual(essence(local.trials));
    // The best trial's model was uploaded with its checksums: it can be promoted from the service's store.
    const res = await fetch(`http://127.0.0.1:${service.port}/api/models/fleet-iris/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ experimentId: id }),
    });
    expect(res.status).toBe(201);
    const predicted = await fetch(`http://127.0.0.1:${service.port}/api/models/fleet-iris/predict?version=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ instances: [[5.1, 3.5, 1.4, 0.2]] }),
    });
    expect(predicted.status).toBe(200);
  }, 240_000);

  it('lists the workers with their host, slots and heartbeat (GET /api/workers, hpo workers)', async () => {
    const body = await getJson<{ queue: boolean; workers: { pid: number; slots: number; alive: boolean; lastHeartbeat: number }[] }>(service.port, 'workers');
    expect(body.queue).toBe(true);
    expect(body.workers.map((w) => w.pid).sort()).toEqual(workers.map((w) => w.child.pid).sort());
    expect(body.workers.every((w) => w.alive && w.slots === 1 && Date.now() - w.lastHeartbeat < 5_000)).toBe(true);
    const cli = hpo(['workers', '--api', `http://127.0.0.1:${service.port}`], tmp.dir);
    expect(cli.status).toBe(0);
    for (const w of workers) expect(cli.stdout).toContain(String(w.child.pid));
  });

  it('a worker stopped with SIGTERM finishes its running trial, hands it in, leaves the list and exits 0', async () => {
    const id = await submit(service.port, {
      ...moduleConfig(3),
      name: 'fleet-graceful',
      budget: { maxTrials: 6, parallelism: 3, trialTimeoutSec: 30 },
      trial: { kind: 'module', module: PACED },
    });
    const leaving = workers[0];
    const running = await until(
      async () => {
        const { workers: seen } = await getJson<{ workers: { pid: number; running: { trialId: number; experimentId: number }[] }[] }>(service.port, 'workers');
        return seen.find((w) => w.pid === leaving.child.pid)?.running.find((r) => r.experimentId === id);
      },
      20_000,
      'the worker to run a trial',
      20,
    );
    leaving.child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => leaving.child.once('exit', (c) => r(c)));
    expect(code).toBe(0);
    expect(leaving.stderr()).toMatch(/SIGTERM: no new trials; 1 running get 30 s to finish/);
    expect(await finalState(service.port, id)).toBe('COMPLETE');
    const trials = await allTrials(service.port, id);
    expect(trials.find((t) => t.id === running.trialId)).toMatchObject({ state: 'COMPLETE' });
    expect((trials.find((t) => t.id === running.trialId) as TrialRow & { metrics: { worker_pid: number } }).metrics.worker_pid).toBe(leaving.child.pid);
    const { workers: after } = await getJson<{ workers: { pid: number }[] }>(service.port, 'workers');
    expect(after.map((w) => w.pid)).not.toContain(leaving.child.pid);
  }, 120_000);
});
