import { resolve } from 'node:path';
import {
  allTrials,
  finalState,
  moduleExperiment,
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

const PACED = resolve(__dirname, '../fixtures/objectives/paced-pid.mjs');

const config = (name: string, maxTrials: number) => moduleExperiment(name, PACED, { seed: 9, maxTrials, parallelism: 3, budget: { maxRetries: 2 } });

type Workers = { workers: { pid: number; running: { trialId: number; attempt: number; experimentId: number }[] }[] };

/** Waits until some worker runs a trial of the experiment; that worker and the attempt. */
async function busyWorker(port: number, experimentId: number, among: WorkerProcess[]) {
  return until(
    async () => {
      const { workers } = await getJson<Workers>(port, 'workers');
      for (const w of workers) {
        const attempt = w.running.find((r) => r.experimentId === experimentId);
        const proc = among.find((p) => p.child.pid === w.pid && p.child.exitCode === null && p.child.signalCode === null);
        if (attempt && proc) return { proc, attempt };
      }
      return undefined;
    },
    20_000,
    'a worker running a trial',
    50,
  );
}

function expectSettled(trials: TrialRow[], counted: number): void {
  expect(trials.filter((t) => t.state === 'RUNNING' || t.state === 'WAITING')).toEqual([]);
  expect(trials.filter((t) => t.state === 'COMPLETE')).toHaveLength(counted);
  expect(trials.map((t) => t.number)).toEqual(trials.map((_, i) => i + 1));
}

describeFleet('trials on many machines survive lost workers and a lost service', () => {
  const tmp = tempDir('hpo-fleet-faults-');
  const queue = queuePrefix();
  let db: TestTarget;
  let first: Awaited<ReturnType<typeof queueService>>;
  let second: Awaited<ReturnType<typeof queueService>>;
  const workers: WorkerProcess[] = [];
  const env = { HPO_QUEUE_PREFIX: queue.prefix, HPO_WORKER_LOST_SEC: '2', HPO_JOB_LOCK_MS: '2000', HPO_LEASE_SEC: '2', HPO_STOP_GRACE_SEC: '1' };

  beforeAll(async () => {
    db = await postgresTarget();
    const url = (db.target as { url: string }).url;
    first = await queueService(url, tmp.dir, { ...env, HPO_HOME: tmp.dir });
    second = await queueService(url, tmp.dir, { ...env, HPO_HOME: tmp.dir });
    const apis = `http://127.0.0.1:${first.port},http://127.0.0.1:${second.port}`;
    for (let i = 0; i < 4; i++) {
      workers.push(await startWorkerProcess(['--api', apis, '--slots', '1'], tmp.dir, { ...env, HPO_HOME: resolve(tmp.dir, `w${i}`) }));
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    const running = [first, second].filter((s) => s && s.child.exitCode === null && s.child.signalCode === null);
    await Promise.all(running.map((s) => s.stop()));
    await db?.drop();
    await queue.cleanup();
    tmp.cleanup();
  }, 30_000);

  it('kill -9 of a worker mid-trial: the trial fails as a crash and is retried on another worker; nothing stays RUNNING', async () => {
    const id = await submit(first.port, config('kill-worker', 9));
    const { proc, attempt } = await busyWorker(first.port, id, workers);
    proc.child.kill('SIGKILL');
    expect(await finalState(first.port, id, 120_000)).toBe('COMPLETE');
    const trials = await allTrials(first.port, id);
    expectSettled(trials, 9);
    const lost = trials.find((t) => t.id === attempt.trialId)!;
    expect(lost).toMatchObject({ state: 'FAILED', failure: 'crash', retried: true });
    const detail = await getJson<{ chain: { number: number; state: string }[]; error: string }>(first.port, `experiments/${id}/trials/${lost.number}`);
    expect(detail.chain.at(-1)!.state).toBe('COMPLETE');
    const retry = trials.find((t) => t.number === detail.chain.at(-1)!.number)! as TrialRow & { metrics: { worker_pid: number } };
    expect(retry.metrics.worker_pid).not.toBe(proc.child.pid);
  }, 150_000);

  it("a stale worker's late result, after its trial was retried elsewhere, is refused and logged", async () => {
    const id = await submit(first.port, config('stale-worker', 6));
    const { proc, attempt } = await busyWorker(first.port, id, workers);
    proc.child.kill('SIGSTOP');
    // Held past the lost time: its attempt is settled as a crash and retried on another worker.
    await until(
      async () => (await allTrials(first.port, id)).find((t) => t.id === attempt.trialId && t.state === 'FAILED'),
      30_000,
      'the held attempt to be settled',
    );
    proc.child.kill('SIGCONT');
    expect(await finalState(first.port, id, 120_000)).toBe('COMPLETE');
    const trials = await allTrials(first.port, id);
    expectSettled(trials, 6);
    const held = trials.find((t) => t.id === attempt.trialId)!;
    expect(held).toMatchObject({ state: 'FAILED', failure: 'crash' });
    const refused = await until(
      async () => {
        const detail = await getJson<{ rejections: { kind: string; attempt: number; detail: string }[] }>(
          first.port,
          `experiments/${id}/trials/${held.number}`,
        );
        return detail.rejections.find((r) => r.kind === 'result') ? detail.rejections : undefined;
      },
      30_000,
      'the late result to be refused',
    );
    expect(refused.find((r) => r.kind === 'result')).toMatchObject({ attempt: attempt.attempt, detail: expect.stringMatching(/no longer holds the trial/) });
    // The held trial's state did not change.
    expect((await allTrials(first.port, id)).find((t) => t.id === held.id)).toMatchObject({ state: 'FAILED', failure: 'crash' });
  }, 150_000);

  it('kill -9 of the service: the second service adopts the experiment and the same workers carry on with it', async () => {
    const id = await submit(first.port, config('kill-service', 12));
    await until(async () => ((await allTrials(first.port, id)).filter((t) => t.state === 'COMPLETE').length >= 3 ? true : undefined), 60_000, 'progress');
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    const killedAt = Date.now();
    expect(await finalState(second.port, id, 120_000)).toBe('COMPLETE');
    const trials = (await allTrials(second.port, id)) as (TrialRow & { metrics: { worker_pid: number } | null; finishedAt?: string })[];
    expect(trials.filter((t) => t.state === 'RUNNING' || t.state === 'WAITING')).toEqual([]);
    expect(trials.filter((t) => t.state === 'COMPLETE' && !t.retried)).toHaveLength(12);
    // Trials that ended after the kill ran on the worker processes started before it.
    const alive = workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null).map((w) => w.child.pid);
    const late = trials.filter((t) => t.state === 'COMPLETE' && t.finishedAt && Date.parse(t.finishedAt) > killedAt);
    expect(late.length).toBeGreaterThan(0);
    for (const t of late) expect(alive).toContain(t.metrics!.worker_pid);
  }, 150_000);
});
