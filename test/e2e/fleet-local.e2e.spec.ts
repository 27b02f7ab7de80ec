import { resolve } from 'node:path';
import {
  allTrials,
  describeFleet,
  finalState,
  moduleExperiment,
  getJson,
  queuePrefix,
  queueService,
  startWorkerProcess,
  submit,
  TrialRow,
  WorkerProcess,
} from '../support/fleet-fixture';
import { postgresTarget, TestTarget } from '../support/storage-targets';
import { tempDir } from '../support/temp-dir';
import { until } from '../support/waiting';

const QUADRATIC = resolve(__dirname, '../fixtures/objectives/quadratic-pid.js');

const config = (name: string, parallelism: number) =>
  moduleExperiment(name, QUADRATIC, { seed: 8, maxTrials: 12, parallelism, space: { k: { type: 'int', low: 0, high: 6 } } });

describeFleet('hpo serve --queue as a pure scheduler, and with worker slots of its own (--workers N)', () => {
  const tmp = tempDir('hpo-fleet-local-');
  const queue = queuePrefix();
  const dbs: TestTarget[] = [];
  const stops: (() => Promise<unknown>)[] = [];
  const env = { HPO_QUEUE_PREFIX: queue.prefix, HPO_HOME: tmp.dir, HPO_STOP_GRACE_SEC: '1' };

  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
    for (const db of dbs) await db.drop();
    await queue.cleanup();
    tmp.cleanup();
  }, 30_000);

  it('with no worker, the trials wait on the queue (the queue depth says how many); a worker that joins runs them', async () => {
    const db = await postgresTarget();
    dbs.push(db);
    const service = await queueService((db.target as { url: string }).url, tmp.dir, env);
    stops.push(service.stop);
    const id = await submit(service.port, config('scheduler-only', 3));
    const depth = await until(
      async () => {
        const body = await getJson<{ queueDepth: Record<string, number>; workers: unknown[] }>(service.port, 'workers');
        return body.queueDepth[id] === 3 ? body : undefined;
      },
      10_000,
      'three attempts queued',
    );
    expect(depth.workers).toEqual([]);
    expect((await getJson<{ trialCounts: Record<string, number> }>(service.port, `experiments/${id}`)).trialCounts.COMPLETE).toBe(0);
    const worker: WorkerProcess = await startWorkerProcess(['--api', `http://127.0.0.1:${service.port}`, '--slots', '2'], tmp.dir, env);
    stops.unshift(worker.stop);
    expect(await finalState(service.port, id)).toBe('COMPLETE');
    // Gone before the next test: one queue prefix serves one database.
    await worker.stop();
    const pids = new Set((await allTrials(service.port, id)).map((t) => (t as TrialRow & { metrics: { worker_pid: number } }).metrics.worker_pid));
    expect([...pids]).toEqual([worker.child.pid]);
    expect((await getJson<{ queueDepth: Record<string, number> }>(service.port, 'workers')).queueDepth).toEqual({});
  }, 120_000);

  it('--workers 2 runs the trials in the service process itself, through the same queue', async () => {
    const db = await postgresTarget();
    dbs.push(db);
    const service = await queueService((db.target as { url: string }).url, tmp.dir, env, ['--workers', '2']);
    stops.push(service.stop);
    expect(service.stderr()).toMatch(/2 worker slots in this process/);
    const id = await submit(service.port, config('local-slots', 2));
    expect(await finalState(service.port, id)).toBe('COMPLETE');
    const trials = await allTrials(service.port, id);
    expect(trials.filter((t) => t.state === 'COMPLETE')).toHaveLength(12);
    expect(new Set(trials.map((t) => (t as TrialRow & { metrics: { worker_pid: number } }).metrics.worker_pid))).toEqual(new Set([service.child.pid]));
    const { workers } = await getJson<{ workers: { pid: number; slots: number }[] }>(service.port, 'workers');
    expect(workers).toEqual([expect.objectContaining({ pid: service.child.pid, slots: 2 })]);
  }, 120_000);

  it('refuses --workers without --queue, naming the flag', async () => {
    const { hpo } = await import('../support/cli-runner');
    const run = hpo(['serve', '--db', 'x.db', '--port', '0', '--workers', '2'], tmp.dir, env);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--workers: needs --queue');
  });
});
