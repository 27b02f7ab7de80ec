import { resolve } from 'node:path';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { databasePrefix } from '../../src/context/service-context';
import { attemptJobId, TRIAL_QUEUE } from '../../src/fleet/fleet-protocol';
import {
  allTrials,
  describeFleet,
  finalState,
  getJson,
  moduleExperiment,
  queuePrefix,
  queueService,
  startWorkerProcess,
  submit,
  WorkerProcess,
} from '../support/fleet-fixture';
import { postgresTarget, TestTarget } from '../support/storage-targets';
import { tempDir } from '../support/temp-dir';
import { until } from '../support/waiting';

const PACED = resolve(__dirname, '../fixtures/objectives/paced-pid.mjs');

/** The ids of the jobs waiting on the CPU queue, and the owner each was queued by. */
async function waitingJobs(queue: Queue): Promise<{ id: string; owner: string; experimentId: number }[]> {
  const jobs = await queue.getJobs(['waiting', 'prioritized', 'delayed', 'paused']);
  return jobs.map((j) => ({ id: j.id!, owner: (j.data as { owner: string }).owner, experimentId: (j.data as { experimentId: number }).experimentId }));
}

describeFleet('a dead service leaves jobs on the queue: the service that adopts its experiment takes them off', () => {
  const tmp = tempDir('hpo-stale-jobs-');
  const prefix = queuePrefix();
  const env = { HPO_QUEUE_PREFIX: prefix.prefix, HPO_HOME: tmp.dir, HPO_LEASE_SEC: '2', HPO_STOP_GRACE_SEC: '1' };
  let db: TestTarget;
  let queue: Queue;
  const stoppers: { child: { exitCode: number | null; signalCode: string | null }; stop(): Promise<unknown> }[] = [];

  beforeAll(async () => {
    db = await postgresTarget();
  }, 30_000);

  afterAll(async () => {
    for (const s of stoppers.reverse()) if (s.child.exitCode === null && s.child.signalCode === null) await s.stop().catch(() => undefined);
    await queue?.close();
    await db?.drop();
    await prefix.cleanup();
    tmp.cleanup();
  }, 60_000);

  it('kill -9 of a service whose jobs wait for workers: the adopter removes them, queues its own, and no worker runs a stale one', async () => {
    const url = (db.target as { url: string }).url;
    const first = await queueService(url, tmp.dir, env);
    stoppers.push(first);
    // No worker yet: the first service's jobs wait on the queue.
    const id = await submit(first.port, moduleExperiment('stale-jobs', PACED, { seed: 4, maxTrials: 8, parallelism: 4 }));
    const pg = new Client({ connectionString: url });
    await pg.connect();
    const identity = (await pg.query<{ value: string }>("SELECT value FROM store_meta WHERE name = 'store_id'")).rows[0].value;
    await pg.end();
    queue = new Queue(TRIAL_QUEUE, { connection: { host: '127.0.0.1', port: 6379 }, prefix: databasePrefix(prefix.prefix, identity) });
    const left = await until(
      async () => {
        const jobs = await waitingJobs(queue);
        return jobs.length === 4 ? jobs : undefined;
      },
      20_000,
      'four jobs on the queue',
    );
    const deadOwner = left[0].owner;
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));

    const second = await queueService(url, tmp.dir, env);
    stoppers.push(second);
    await until(async () => (/resumed experiments/.test(second.stderr()) ? true : undefined), 30_000, 'the adoption');
    await until(async () => (/removed 4 queued jobs of experiments/.test(second.stderr()) ? true : undefined), 10_000, 'the stale jobs removed');
    // What waits now is the adopter's own: one job per attempt it runs, none of the dead owner's.
    const now = await until(
      async () => {
        const jobs = await waitingJobs(queue);
        return jobs.length === 4 ? jobs : undefined;
      },
      20_000,
      "the adopter's four jobs",
    );
    expect(now.filter((j) => j.owner === deadOwner)).toEqual([]);
    for (const j of left) expect(await queue.getJob(j.id)).toBeUndefined();
    const running = (await allTrials(second.port, id)).filter((t) => t.state === 'RUNNING');
    expect(now.map((j) => j.id).sort()).toEqual(running.map((t) => attemptJobId(t.id, t.attempt!)).sort());

    // A worker now runs only current attempts: the experiment completes and no result is refused.
    const workers: WorkerProcess[] = [];
    for (let i = 0; i < 2; i++) {
      workers.push(
        await startWorkerProcess(['--api', `http://127.0.0.1:${second.port}`, '--slots', '2'], tmp.dir, { ...env, HPO_HOME: resolve(tmp.dir, `w${i}`) }),
      );
    }
    stoppers.push(...workers);
    expect(await finalState(second.port, id, 120_000)).toBe('COMPLETE');
    const trials = await allTrials(second.port, id);
    expect(trials.filter((t) => t.state === 'RUNNING' || t.state === 'WAITING')).toEqual([]);
    const interrupted = trials.filter((t) => t.state === 'FAILED');
    expect(interrupted).toHaveLength(4);
    for (const t of interrupted) {
      const detail = await getJson<{ rejections: unknown[]; failure: string }>(second.port, `experiments/${id}/trials/${t.number}`);
      expect([detail.failure, detail.rejections]).toEqual(['interrupted', []]);
    }
    expect(await waitingJobs(queue)).toEqual([]);
  }, 180_000);
});
