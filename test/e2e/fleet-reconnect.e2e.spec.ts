import { resolve } from 'node:path';
import { serving } from '../support/cli-runner';
import { CuttableRelay } from '../support/cuttable-relay';
import { allTrials, describeFleet, finalState, moduleExperiment, queuePrefix, startWorkerProcess, submit, WorkerProcess } from '../support/fleet-fixture';
import { postgresTarget, TestTarget } from '../support/storage-targets';
import { tempDir } from '../support/temp-dir';
import { sleep, until } from '../support/waiting';

const PACED = resolve(__dirname, '../fixtures/objectives/paced-pid.mjs');

describeFleet('a Redis connection lost and back: the service and the workers reconnect, and no recorded result is lost', () => {
  const tmp = tempDir('hpo-fleet-reconnect-');
  const queue = queuePrefix();
  const relay = new CuttableRelay(6379);
  let db: TestTarget;
  let service: Awaited<ReturnType<typeof serving>>;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    await relay.start();
    db = await postgresTarget();
    const env = { HPO_QUEUE_PREFIX: queue.prefix, HPO_HOME: tmp.dir, HPO_STOP_GRACE_SEC: '1' };
    const url = `redis://127.0.0.1:${relay.port}`;
    service = await serving(['--db', (db.target as { url: string }).url, '--port', '0', '--queue', url], tmp.dir, env);
    for (let i = 0; i < 2; i++) {
      const w = await startWorkerProcess(
        ['--api', `http://127.0.0.1:${service.port}`, '--slots', '1'],
        tmp.dir,
        { ...env, HPO_HOME: resolve(tmp.dir, `w${i}`) },
        url,
      );
      workers.push(w);
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await service?.stop();
    await relay.cut().catch(() => undefined);
    await db?.drop();
    await queue.cleanup();
    tmp.cleanup();
  }, 30_000);

  it('finishes the experiment with every trial counted after Redis was unreachable for two seconds', async () => {
    const id = await submit(service.port, moduleExperiment('reconnect', PACED, { seed: 6, maxTrials: 16, parallelism: 2, budget: { maxRetries: 3 } }));
    await until(async () => ((await allTrials(service.port, id)).filter((t) => t.state === 'COMPLETE').length >= 3 ? true : undefined), 60_000, 'progress');
    const before = (await allTrials(service.port, id)).filter((t) => t.state === 'COMPLETE');
    await relay.cut();
    await sleep(2_000);
    await relay.start();
    expect(await finalState(service.port, id, 120_000)).toBe('COMPLETE');
    const trials = await allTrials(service.port, id);
    expect(trials.filter((t) => t.state === 'RUNNING' || t.state === 'WAITING')).toEqual([]);
    expect(trials.filter((t) => t.state === 'COMPLETE' && !t.retried)).toHaveLength(16);
    // What was recorded before the cut is still there, unchanged.
    for (const t of before) expect(trials.find((x) => x.id === t.id)).toMatchObject({ state: 'COMPLETE', value: t.value, params: t.params });
  }, 150_000);
});
