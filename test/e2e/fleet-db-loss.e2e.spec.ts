import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { hpo, serving } from '../support/cli-runner';
import { CuttableRelay } from '../support/cuttable-relay';
import {
  allTrials,
  describeFleet,
  finalState,
  getJson,
  queuePrefix,
  startWorkerProcess,
  submit,
  TEST_REDIS_URL,
  TrialRow,
  WorkerProcess,
} from '../support/fleet-fixture';
import { postgresTarget, TestTarget } from '../support/storage-targets';
import { tempDir } from '../support/temp-dir';
import { sleep, until } from '../support/waiting';

const PACED = resolve(__dirname, '../fixtures/objectives/paced-pid.mjs');
/** How long the database (and the workers' Redis) stays away in the middle of the run. */
const OUTAGE_MS = 4_000;

/** A grid of 25 points, half a second each: the same trials whatever the timing, so runs compare point by point. */
const gridConfig = (name: string, parallelism: number) => ({
  name,
  objective: { metric: 'loss', direction: 'minimize' },
  space: { x: { type: 'float', low: -3, high: 3, step: 0.25 } },
  search: { algorithm: 'grid', seed: 5 },
  budget: { maxTrials: 25, parallelism, trialTimeoutSec: 30, maxRetries: 3 },
  trial: { kind: 'module', module: PACED },
});

/** Each point's state and value, by parameter. */
const byPoint = (trials: { params: Record<string, unknown>; state: string; value: number | null; retried?: boolean }[]) =>
  trials
    .filter((t) => !t.retried)
    .map((t) => ({ x: t.params.x as number, state: t.state, value: t.value }))
    .sort((a, b) => a.x - b.x);

const withPort = (url: string, port: number): string => {
  const u = new URL(url);
  u.port = String(port);
  return u.toString();
};

async function ready(port: number): Promise<{ status: number; body: { checks: Record<string, { status: string }> } }> {
  const res = await fetch(`http://127.0.0.1:${port}/health/ready`);
  return { status: res.status, body: (await res.json()) as { checks: Record<string, { status: string }> } };
}

/**
 * Cuts the relays once `progress` trials are done, checks the service stays up and says it is not
 * ready while they are cut, then opens them again; resolves to the trials complete before the cut.
 */
async function outage(port: number, id: number, relays: CuttableRelay[], progress: number): Promise<TrialRow[]> {
  await until(async () => ((await allTrials(port, id)).filter((t) => t.state === 'COMPLETE').length >= progress ? true : undefined), 60_000, 'progress');
  const before = (await allTrials(port, id)).filter((t) => t.state === 'COMPLETE');
  for (const r of relays) await r.cut();
  await sleep(OUTAGE_MS / 2);
  const live = await fetch(`http://127.0.0.1:${port}/health/live`);
  expect(live.status).toBe(200);
  const down = await ready(port);
  expect(down.status).toBe(503);
  expect(down.body.checks.database.status).toBe('down');
  // A request that needs the database answers 503, not 500, while it is away.
  expect((await fetch(`http://127.0.0.1:${port}/api/experiments/${id}`)).status).toBe(503);
  await sleep(OUTAGE_MS / 2);
  for (const r of relays) await r.start();
  await until(async () => ((await ready(port)).status === 200 ? true : undefined), 20_000, 'ready again');
  return before;
}

/** What must hold after the run: finished, every point recorded once, nothing left RUNNING, nothing changed that was recorded before. */
function expectEveryResultOnce(trials: TrialRow[], before: TrialRow[]): void {
  expect(trials.filter((t) => t.state === 'RUNNING' || t.state === 'WAITING')).toEqual([]);
  const counted = trials.filter((t) => !t.retried);
  expect(counted).toHaveLength(25);
  expect(new Set(counted.map((t) => t.params.x)).size).toBe(25);
  expect(counted.every((t) => t.state === 'COMPLETE')).toBe(true);
  expect(trials.map((t) => t.number)).toEqual(trials.map((_, i) => i + 1));
  for (const t of before) expect(trials.find((x) => x.id === t.id)).toMatchObject({ state: 'COMPLETE', value: t.value, params: t.params });
}

describeFleet('PostgreSQL (and Redis) lost for a few seconds in the middle of a run: the service stays up, and no result is lost or doubled', () => {
  const tmp = tempDir('hpo-db-loss-');
  const queue = queuePrefix();
  let db: TestTarget;
  let pgRelay: CuttableRelay;
  const redisRelay = new CuttableRelay(Number(new URL(TEST_REDIS_URL).port || 6379));
  let reference: { x: number; state: string; value: number | null }[];
  const started: { child: { exitCode: number | null; signalCode: string | null }; stop(): Promise<unknown> }[] = [];

  beforeAll(async () => {
    db = await postgresTarget();
    const url = (db.target as { url: string }).url;
    pgRelay = new CuttableRelay(Number(new URL(url).port || 5432));
    await pgRelay.start();
    await redisRelay.start();
    // The reference: the same config, uninterrupted, in process on SQLite.
    const file = resolve(tmp.dir, 'reference.json');
    writeFileSync(file, JSON.stringify(gridConfig('reference', 3)));
    const run = hpo(['run', file, '--db', 'reference.db', '--json'], tmp.dir, { HPO_HOME: tmp.dir });
    reference = byPoint((JSON.parse(run.stdout) as { trials: TrialRow[] }).trials);
    expect(reference).toHaveLength(25);
  }, 120_000);

  afterAll(async () => {
    for (const s of started.reverse()) if (s.child.exitCode === null && s.child.signalCode === null) await s.stop().catch(() => undefined);
    await pgRelay?.cut();
    await redisRelay.cut();
    await db?.drop();
    await queue.cleanup();
    tmp.cleanup();
  }, 60_000);

  it('on the queue with three workers (their Redis cut too): the experiment finishes with the values of an uninterrupted run', async () => {
    const env = { HPO_QUEUE_PREFIX: queue.prefix, HPO_HOME: tmp.dir, HPO_STOP_GRACE_SEC: '1' };
    const dbUrl = withPort((db.target as { url: string }).url, pgRelay.port);
    const service = await serving(['--db', dbUrl, '--port', '0', '--queue', TEST_REDIS_URL], tmp.dir, env);
    started.push(service);
    const workers: WorkerProcess[] = [];
    for (let i = 0; i < 3; i++) {
      const home = { ...env, HPO_HOME: resolve(tmp.dir, `w${i}`) };
      workers.push(
        await startWorkerProcess(['--api', `http://127.0.0.1:${service.port}`, '--slots', '1'], tmp.dir, home, `redis://127.0.0.1:${redisRelay.port}`),
      );
    }
    started.push(...workers);
    const id = await submit(service.port, gridConfig('queue-db-loss', 3));
    const before = await outage(service.port, id, [pgRelay, redisRelay], 4);
    expect(await finalState(service.port, id, 120_000)).toBe('COMPLETE');
    const trials = await allTrials(service.port, id);
    expectEveryResultOnce(trials, before);
    expect(byPoint(trials)).toEqual(reference);
    // The service said what it held while the database was away, and did not stop.
    expect(service.stderr()).toMatch(/PostgreSQL cannot be reached: .* is held and written again when it answers/);
    expect(service.child.exitCode).toBeNull();
    // Each trial's reports are there once each.
    const detail = await getJson<{ curve: { loss: { step: number }[] } }>(service.port, `experiments/${id}/trials/${trials.at(-1)!.number}`);
    expect(detail.curve.loss.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await Promise.all(workers.map((w) => w.stop()));
    await service.stop();
  }, 240_000);

  it('in process (the local pool): the experiment finishes with the values of an uninterrupted run', async () => {
    const dbUrl = withPort((db.target as { url: string }).url, pgRelay.port);
    const service = await serving(['--db', dbUrl, '--port', '0'], tmp.dir, { HPO_HOME: tmp.dir, HPO_SLOTS: '3', HPO_STOP_GRACE_SEC: '1' });
    started.push(service);
    const id = await submit(service.port, gridConfig('local-db-loss', 3));
    const before = await outage(service.port, id, [pgRelay], 4);
    expect(await finalState(service.port, id, 120_000)).toBe('COMPLETE');
    const trials = await allTrials(service.port, id);
    expectEveryResultOnce(trials, before);
    expect(byPoint(trials)).toEqual(reference);
    expect(service.child.exitCode).toBeNull();
  }, 240_000);
});
