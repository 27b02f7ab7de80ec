import { resolve } from 'node:path';
import { hpo } from '../support/cli-runner';
import { queuePrefix, queueService, startWorkerProcess, WorkerProcess } from '../support/fleet-fixture';
import { describePostgres, postgresTarget, TestTarget } from '../support/storage-targets';
import { tempDir } from '../support/temp-dir';
import { until } from '../support/waiting';

const QUADRATIC = resolve(__dirname, '../fixtures/objectives/quadratic-pid.js');

/** Workers carry keys like any client: an admin key takes trials, a weaker one is refused and runs nothing. */
describePostgres('hpo worker with API keys', () => {
  const tmp = tempDir('hpo-fleet-keys-');
  const queue = queuePrefix();
  let db: TestTarget;
  let url: string;
  let service: Awaited<ReturnType<typeof queueService>>;
  const workers: WorkerProcess[] = [];
  const env = () => ({ HPO_QUEUE_PREFIX: queue.prefix, HPO_HOME: tmp.dir, HPO_WORKER_LOST_SEC: '3', HPO_JOB_LOCK_MS: '2000' });
  const makeKey = (name: string, scope: string) => {
    const made = hpo(['keys', 'create', '--name', name, '--scope', scope, '--db', url], tmp.dir, env());
    expect(made.status).toBe(0);
    return made.stdout.trim();
  };

  beforeAll(async () => {
    db = await postgresTarget();
    url = (db.target as { url: string }).url;
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await service?.stop();
    await db?.drop();
    await queue.cleanup();
    tmp.cleanup();
  });

  it('runs trials on a worker with an admin key and none on one with a read key', async () => {
    const admin = makeKey('fleet-admin', 'admin');
    const reader = makeKey('fleet-reader', 'read');
    service = await queueService(url, tmp.dir, env());
    const api = `http://127.0.0.1:${service.port}`;
    const auth = { Authorization: `Bearer ${admin}` };
    expect((await fetch(`${api}/api/workers`)).status).toBe(401);

    // A worker with a read key stops at start and says why; one without a key too.
    await expect(
      startWorkerProcess(['--api', api, '--slots', '1', '--key', reader], tmp.dir, { ...env(), HPO_HOME: resolve(tmp.dir, 'w-read') }),
    ).rejects.toThrow(/refused this worker \(403\).*admin scope/);
    await expect(startWorkerProcess(['--api', api, '--slots', '1'], tmp.dir, { ...env(), HPO_HOME: resolve(tmp.dir, 'w-none') })).rejects.toThrow(/\(401\)/);
    const res = await fetch(`${api}/api/experiments`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'keyed',
        objective: { metric: 'loss', direction: 'minimize' },
        space: { x: { type: 'float', low: -3, high: 3 }, k: { type: 'int', low: 0, high: 6 } },
        budget: { maxTrials: 6, parallelism: 2, trialTimeoutSec: 30, maxRetries: 3 },
        trial: { kind: 'module', module: QUADRATIC },
      }),
    });
    expect(res.status).toBe(201);
    const id = ((await res.json()) as { id: number }).id;
    const state = async () =>
      (await (await fetch(`${api}/api/experiments/${id}`, { headers: auth })).json()) as { state: string; trialCounts: Record<string, number> };
    expect((await state()).trialCounts.COMPLETE ?? 0).toBe(0);

    workers.push(await startWorkerProcess(['--api', api, '--slots', '2', '--key', admin], tmp.dir, { ...env(), HPO_HOME: resolve(tmp.dir, 'w-admin') }));
    const done = await until(async () => ((await state()).state === 'RUNNING' ? undefined : await state()), 120_000, 'the experiment to end');
    expect(done.state).toBe('COMPLETE');
    expect(done.trialCounts.COMPLETE).toBe(6);
  }, 180_000);
});
