import { openStore, Store } from '../../src/storage/store';
import { completeResult, sampleSpec } from '../support/sample-spec';
import { describePostgres, memoryTarget, postgresTarget, sqliteTarget, TestTarget } from '../support/storage-targets';
import { modelDraft } from '../support/model-draft';
import { tempDir } from '../support/temp-dir';

const complete = completeResult;

/**
 * One suite over every store: in memory, a real SQLite file, and PostgreSQL. What the use cases
 * are tested against on the memory store holds on the databases because of this suite.
 */
function storageConformance(open: () => Promise<TestTarget>): void {
  let store: Store;
  let target: TestTarget;
  beforeAll(async () => {
    target = await open();
    store = await openStore(target.target);
  });
  afterAll(async () => {
    await store?.close();
    await target?.drop();
  });

  describe('experiments', () => {
    it('finds the newest experiment with a name, lists newest first, and by state oldest first', async () => {
      const older = await store.experiments.create(sampleSpec({ name: 'twice' }), null, 'a', 500);
      const newer = await store.experiments.create(sampleSpec({ name: 'twice' }), null, 'a', 600);
      expect(await store.experiments.newestIdByName('twice')).toBe(newer.id);
      expect(await store.experiments.newestIdByName('never')).toBeUndefined();
      expect(newer).toMatchObject({
        name: 'twice',
        state: 'RUNNING',
        owner: 'a',
        heartbeatAt: 600,
        createdAt: 600,
        startedAt: 600,
        finishedAt: null,
        stopReason: null,
        promotion: null,
        submittedBy: null,
      });
      const page = await store.experiments.list({ limit: 1, offset: 0 });
      expect(page.items.map((e) => e.id)).toEqual([newer.id]);
      expect(page.total).toBeGreaterThanOrEqual(2);
      const running = await store.experiments.listByState('RUNNING');
      expect(running.findIndex((e) => e.id === older.id)).toBeLessThan(running.findIndex((e) => e.id === newer.id));
      await store.experiments.finish(older.id, 'CANCELLED', 'cancelled', 700);
      expect((await store.experiments.list({ state: 'CANCELLED', limit: 10, offset: 0 })).items.map((e) => e.id)).toContain(older.id);
    });

    it('leases an experiment to one process at a time, by heartbeat', async () => {
      const exp = await store.experiments.create(sampleSpec(), null, 'a', 10_000);
      expect(await store.experiments.claim(exp.id, 'b', 10_500, 10_500 - 1_000)).toBe(false); // a is alive
      expect(await store.experiments.heartbeat(exp.id, 'a', 11_000)).toBe(true);
      expect(await store.experiments.claim(exp.id, 'b', 13_000, 13_000 - 1_000)).toBe(true); // a went quiet
      expect(await store.experiments.heartbeat(exp.id, 'a', 13_100)).toBe(false); // a learns it lost it
      expect(await store.experiments.get(exp.id)).toMatchObject({ owner: 'b', heartbeatAt: 13_000 });
      expect(await store.experiments.finish(exp.id, 'COMPLETE', 'done', 14_000)).toBe(true);
      expect(await store.experiments.finish(exp.id, 'FAILED', 'again', 14_001)).toBe(false);
      expect(await store.experiments.get(exp.id)).toMatchObject({ owner: null, state: 'COMPLETE', stopReason: 'done', finishedAt: 14_000 });
      expect(await store.experiments.heartbeat(exp.id, 'b', 14_100)).toBe(false);
    });

    it('reopens a finished experiment with a new spec, once', async () => {
      const exp = await store.experiments.create(sampleSpec(), null, 'a', 20_000);
      expect(await store.experiments.reopen(exp.id, sampleSpec())).toBe(false); // still RUNNING
      await store.experiments.finish(exp.id, 'COMPLETE', 'maxTrials reached', 20_001);
      const bigger = sampleSpec({ budget: { ...sampleSpec().budget, maxTrials: 9 } });
      expect(await store.experiments.reopen(exp.id, bigger)).toBe(true);
      expect(await store.experiments.get(exp.id)).toMatchObject({ state: 'RUNNING', stopReason: null, finishedAt: null, spec: { budget: { maxTrials: 9 } } });
    });

    it('lists the RUNNING experiments nobody holds (silent or released owners), and changes a running spec', async () => {
      const live = await store.experiments.create(sampleSpec({ name: 'live' }), null, 'alive', 30_000);
      const silent = await store.experiments.create(sampleSpec({ name: 'silent' }), null, 'gone', 20_000);
      const released = await store.experiments.create(sampleSpec({ name: 'released' }), null, 'leaving', 30_000);
      expect(await store.experiments.release(released.id, 'someone-else')).toBe(false);
      expect(await store.experiments.release(released.id, 'leaving')).toBe(true);
      const ids = (await store.experiments.adoptable(25_000)).map((e) => e.id);
      expect(ids).toEqual(expect.arrayContaining([silent.id, released.id]));
      expect(ids).not.toContain(live.id);
      expect(await store.experiments.get(released.id)).toMatchObject({ state: 'RUNNING', owner: null, heartbeatAt: null });
      expect(await store.experiments.claim(released.id, 'adopter', 30_001, 30_001 - 1_000)).toBe(true);
      const wider = sampleSpec({ name: 'live', budget: { ...sampleSpec().budget, parallelism: 4 } });
      expect(await store.experiments.updateSpec(live.id, wider)).toBe(true);
      expect((await store.experiments.get(live.id))!.spec.budget.parallelism).toBe(4);
      await store.experiments.finish(live.id, 'COMPLETE', 'done', 30_002);
      expect(await store.experiments.updateSpec(live.id, sampleSpec())).toBe(false);
    });

    it('has one identity, the same every time it is asked', async () => {
      const id = await store.identity();
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(await store.identity()).toBe(id);
    });

    it('knows the directions an objective metric is optimised in', async () => {
      await store.experiments.create(sampleSpec({ objective: { metric: 'both_ways', direction: 'minimize' } }), null, 'a', 1);
      expect(await store.experiments.directionsOfObjective('both_ways')).toEqual(['minimize']);
      await store.experiments.create(sampleSpec({ objective: { metric: 'both_ways', direction: 'maximize' } }), null, 'a', 1);
      expect(await store.experiments.directionsOfObjective('both_ways')).toEqual(['maximize', 'minimize']);
      expect(await store.experiments.directionsOfObjective('unused')).toEqual([]);
    });

    it('keeps the promotion outcome with its experiment', async () => {
      const exp = await store.experiments.create(sampleSpec(), null, 'a', 1);
      expect(await store.promotions.outcomeOf(exp.id)).toBeUndefined();
      const outcome = { model: 'm', version: 3, alias: { name: 'production', moved: true, version: 3, previousVersion: 2, reason: 'better' } };
      await store.promotions.record(exp.id, outcome);
      expect(await store.promotions.outcomeOf(exp.id)).toEqual(outcome);
      expect((await store.experiments.get(exp.id))!.promotion).toEqual(outcome);
    });

    it('keeps the test score with its experiment', async () => {
      const exp = await store.experiments.create(sampleSpec(), null, 'a', 1);
      expect(await store.promotions.testScoreOf(exp.id)).toBeUndefined();
      expect((await store.experiments.get(exp.id))!.testScore).toBeNull();
      const score = { trialNumber: 4, model: 'm', version: 2, metrics: { test_accuracy: 0.9 }, validation: { metric: 'val_accuracy', value: 0.95 } };
      await store.promotions.recordTestScore(exp.id, score);
      expect(await store.promotions.testScoreOf(exp.id)).toEqual(score);
      expect((await store.experiments.get(exp.id))!.testScore).toEqual(score);
    });
  });

  describe('trials', () => {
    it('numbers trials uniquely and gap-free when many are created at once (concurrent connections on PostgreSQL)', async () => {
      const exp = await store.experiments.create(sampleSpec(), null, 'owner-1', 1000);
      const made = await Promise.all(Array.from({ length: 12 }, (_, i) => store.trials.createWaiting(exp.id, { x: i }, null, 1001)));
      expect(made.map((t) => t.number).sort((x, y) => x - y)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    });

    it('numbers trials gap-free, claims once, finishes once', async () => {
      const exp = await store.experiments.create(sampleSpec(), null, 'owner-1', 1000);
      const a = await store.trials.createWaiting(exp.id, { x: 1 }, null, 1001);
      const b = await store.trials.createWaiting(exp.id, { x: 2 }, null, 1002);
      expect([a.number, b.number]).toEqual([1, 2]);
      expect(a).toMatchObject({
        state: 'WAITING',
        params: { x: 1 },
        repeatOf: null,
        repeatOfNumber: null,
        interrupted: false,
        createdAt: 1001,
        startedAt: null,
      });
      expect(await store.trials.claim(a.id, '/art/1', 'w', 1003 + 60_000, 1003)).toBe(1);
      expect(await store.trials.claim(a.id, null, 'w', 1004 + 60_000, 1004)).toBe(0);
      expect(await store.queries.byNumber(exp.id, 1)).toMatchObject({
        state: 'RUNNING',
        attempt: 1,
        worker: 'w',
        runner: null,
        leaseUntil: 61_003,
        artifactDir: '/art/1',
      });
      // Where the attempt runs (a fleet worker) is recorded for the attempt that holds the trial only.
      expect(await store.trials.setRunner(a.id, 2, 'host-9')).toBe(false);
      expect(await store.trials.setRunner(a.id, 1, 'host-1')).toBe(true);
      expect((await store.queries.byNumber(exp.id, 1))?.runner).toBe('host-1');
      expect((await store.queries.changedSince(exp.id, 0, 0)).find((t) => t.number === 1)?.runner).toBe('host-1');
      expect(await store.trials.finish(a.id, 2, exp.id, complete(0.1), 1005)).toBe(false); // not the attempt that holds it
      const result = { ...complete(0.5, { loss: 0.5, acc: 0.9 }), lastStep: 3 };
      expect(await store.trials.finish(a.id, 1, exp.id, result, 1005)).toBe(true);
      expect(await store.trials.finish(a.id, 1, exp.id, result, 1006)).toBe(false);
      expect(await store.trials.finish(b.id, 1, exp.id, result, 1006)).toBe(false); // never claimed
      expect(await store.queries.byNumber(exp.id, 1)).toMatchObject({
        state: 'COMPLETE',
        value: 0.5,
        metrics: { loss: 0.5, acc: 0.9 },
        lastStep: 3,
        interrupted: false,
        failure: null,
        leaseUntil: null,
        runner: 'host-1',
        startedAt: 1003,
        finishedAt: 1005,
      });
      expect(await store.trials.setRunner(a.id, 1, 'host-2')).toBe(false); // final: nothing runs it any more
      expect(await store.queries.byNumber(exp.id, 3)).toBeUndefined();
    });

    it('lists what changed since a reader looked: newer trials, unfinished ones, and those finished since', async () => {
      const exp = await store.experiments.create(sampleSpec(), null, 'owner-1', 1000);
      const t = [];
      for (let i = 0; i < 5; i++) t.push(await store.trials.createWaiting(exp.id, { x: i }, null, 1000 + i));
      for (const trial of t.slice(0, 4)) expect(await store.trials.claim(trial.id, null, 'w', 99_000, 2000)).toBe(1);
      expect(await store.trials.finish(t[0].id, 1, exp.id, complete(1), 3000)).toBe(true);
      expect(await store.trials.finish(t[1].id, 1, exp.id, complete(2), 5000)).toBe(true);
      const numbers = async (after: number, since: number) => (await store.queries.changedSince(exp.id, after, since)).map((x) => [x.number, x.state]);
      // 1 finished before 4000; 2 at 5000; 3 and 4 RUNNING; 5 WAITING.
      expect(await numbers(5, 4000)).toEqual([
        [2, 'COMPLETE'],
        [3, 'RUNNING'],
        [4, 'RUNNING'],
        [5, 'WAITING'],
      ]);
      expect(await numbers(5, 6000)).toEqual([
        [3, 'RUNNING'],
        [4, 'RUNNING'],
        [5, 'WAITING'],
      ]);
      expect((await numbers(0, 6000)).map(([n]) => n)).toEqual([1, 2, 3, 4, 5]);
      expect(await store.queries.changedSince(exp.id + 1000, 0, 0)).toEqual([]);
      // The first read in chunks: by number, whatever the state, `limit` at a time.
      const after = async (n: number, limit: number) => (await store.queries.trialsAfter(exp.id, n, limit)).map((x) => [x.number, x.state]);
      expect(await after(0, 2)).toEqual([
        [1, 'COMPLETE'],
        [2, 'COMPLETE'],
      ]);
      expect(await after(2, 2)).toEqual([
        [3, 'RUNNING'],
        [4, 'RUNNING'],
      ]);
      expect(await after(4, 2)).toEqual([[5, 'WAITING']]);
      expect(await after(5, 2)).toEqual([]);
      expect(await store.queries.trialsAfter(exp.id + 1000, 0, 10)).toEqual([]);
      const [first] = await store.queries.trialsAfter(exp.id, 0, 1);
      expect(first).toEqual((await store.queries.changedSince(exp.id, 0, 0))[0]);
      expect(first).toMatchObject({
        id: t[0].id,
        number: 1,
        state: 'COMPLETE',
        params: { x: 0 },
        value: 1,
        startedAt: 2000,
        finishedAt: 3000,
        worker: 'w',
        attempt: 1,
      });
      // Compute time: 1 ran 2000–3000, 2 ran 2000–5000, 3 and 4 run since 2000 (counted up to now), 5 never started.
      expect(await store.queries.computeMs(exp.id, 7000)).toBe(1000 + 3000 + 5000 + 5000);
      expect(await store.queries.computeMs(exp.id + 1000, 7000)).toBe(0);
    });

    it('stores intermediate reports and interrupts RUNNING trials', async () => {
      const exp = await store.experiments.create(sampleSpec(), null, 'owner-1', 2000);
      const t = await store.trials.createWaiting(exp.id, { x: 3 }, null, 2001);
      await store.trials.claim(t.id, null, 'w', 2002 + 60_000, 2002);
      await store.trials.saveIntermediate([
        { trialId: t.id, attempt: 1, step: 1, metrics: { loss: 2 } },
        { trialId: t.id, attempt: 1, step: 2, metrics: { loss: 1, acc: 0.5 } },
        { trialId: t.id, attempt: 1, step: 2, metrics: { loss: 1.5 } },
      ]);
      expect(await store.trials.curve(t.id)).toEqual([
        { step: 1, name: 'loss', value: 2 },
        { step: 2, name: 'acc', value: 0.5 },
        { step: 2, name: 'loss', value: 1.5 },
      ]);
      expect((await store.trials.metricCurves(exp.id, 'loss')).get(t.id)).toEqual([
        { step: 1, value: 2 },
        { step: 2, value: 1.5 },
      ]);
      const interrupted = await store.trials.interruptRunning(exp.id, 2003);
      expect(interrupted.map((x) => [x.id, x.state, x.interrupted, x.error, x.failure, x.lastStep])).toEqual([
        [t.id, 'FAILED', true, 'interrupted', 'interrupted', 2],
      ]);
    });

    it('fences an attempt: once it no longer holds its trial, its reports and result are refused, and can be logged', async () => {
      const exp = await store.experiments.create(sampleSpec(), null, 'owner-1', 5000);
      const t = await store.trials.createWaiting(exp.id, { x: 1 }, null, 5001);
      expect(await store.trials.claim(t.id, null, 'w1', 6000, 5002)).toBe(1);
      expect(await store.trials.saveIntermediate([{ trialId: t.id, attempt: 1, step: 1, metrics: { loss: 3 } }])).toEqual([]);
      expect(await store.trials.saveIntermediate([{ trialId: t.id, attempt: 2, step: 2, metrics: { loss: 2 } }])).toEqual([
        { trialId: t.id, attempt: 2, step: 2, metrics: { loss: 2 } },
      ]);
      // The holder went quiet: its lease runs out, and the trial is taken from it.
      expect((await store.trials.expiredLeases(5999)).map((x) => x.id)).toEqual([]);
      expect((await store.trials.expiredLeases(6001)).map((x) => [x.id, x.attempt, x.worker])).toEqual([[t.id, 1, 'w1']]);
      expect(
        await store.trials.finish(
          t.id,
          1,
          exp.id,
          { state: 'FAILED', failure: 'lost', metrics: null, value: null, error: 'lost', backend: null, lastStep: null, artifactDir: null },
          6002,
        ),
      ).toBe(true);
      const late = { trialId: t.id, attempt: 1, step: 3, metrics: { loss: 1 } };
      expect(await store.trials.saveIntermediate([late])).toEqual([late]);
      expect(await store.trials.finish(t.id, 1, exp.id, complete(1), 6003)).toBe(false);
      expect(await store.trials.curve(t.id)).toEqual([{ step: 1, name: 'loss', value: 3 }]);
      expect(await store.queries.byNumber(exp.id, 1)).toMatchObject({ state: 'FAILED', failure: 'lost', lastStep: 1 });
      await store.trials.recordRejections([
        { trialId: t.id, attempt: 1, kind: 'report', detail: 'step 3', at: 6004 },
        { trialId: t.id, attempt: 1, kind: 'result', detail: 'COMPLETE', at: 6005 },
      ]);
      expect((await store.trials.rejections(t.id)).map((r) => [r.attempt, r.kind, r.detail, r.at])).toEqual([
        [1, 'report', 'step 3', 6004],
        [1, 'result', 'COMPLETE', 6005],
      ]);
    });

    it('renews the leases of every attempt a worker holds, and no other', async () => {
      const exp = await store.experiments.create(sampleSpec(), null, 'owner-1', 7000);
      const [a, b] = [await store.trials.createWaiting(exp.id, { x: 1 }, null, 7001), await store.trials.createWaiting(exp.id, { x: 2 }, null, 7001)];
      await store.trials.claim(a.id, null, 'renewing', 8000, 7002);
      await store.trials.claim(b.id, null, 'other', 8000, 7002);
      expect(await store.trials.renewLeases('renewing', 9000)).toBe(1);
      expect((await store.trials.expiredLeases(8500)).map((x) => x.id)).toEqual([b.id]);
    });

    it('queues a retry linked to the failed trial, and marks the failure as retried', async () => {
      const exp = await store.experiments.create(sampleSpec(), null, 'owner-1', 7100);
      const t = await store.trials.createWaiting(exp.id, { x: 1 }, null, 7101);
      await store.trials.claim(t.id, null, 'w', 9000, 7102);
      await store.trials.finish(
        t.id,
        1,
        exp.id,
        { state: 'FAILED', failure: 'crash', metrics: null, value: null, error: 'worker exited', backend: null, lastStep: null, artifactDir: null },
        7103,
      );
      await store.trials.markRetried(t.id);
      const retry = await store.trials.createWaiting(exp.id, t.params, { id: t.id, number: t.number, reason: 'retry', retryNumber: 1 }, 7104);
      expect(retry).toMatchObject({ number: 2, repeatOf: t.id, repeatOfNumber: 1, repeatReason: 'retry', retryNumber: 1, attempt: 0 });
      expect(await store.queries.byNumber(exp.id, 1)).toMatchObject({ state: 'FAILED', failure: 'crash', retried: true });
      expect(await store.trials.interruptedWithoutRepeat(exp.id)).toEqual([]);
    });

    it('keeps the mark of a trial whose parameters a user queued, and not of a suggested one', async () => {
      const exp = await store.experiments.create(sampleSpec(), 'iris.csv', 'owner-1', 7200);
      const suggested = await store.trials.createWaiting(exp.id, { x: 1 }, null, 7201);
      const queued = await store.trials.createWaiting(exp.id, { x: 2 }, null, 7202, true);
      expect([suggested.enqueued, queued.enqueued]).toEqual([false, true]);
      expect(await store.queries.byNumber(exp.id, queued.number)).toMatchObject({ enqueued: true, params: { x: 2 } });
      expect(await store.queries.byNumber(exp.id, suggested.number)).toMatchObject({ enqueued: false });
    });

    it('lists interrupted trials (crashed or cancelled) until their parameters are queued again', async () => {
      const exp = await store.experiments.create(sampleSpec(), 'iris.csv', 'owner-1', 4000);
      const [crashed, cancelled, failed] = [
        await store.trials.createWaiting(exp.id, { x: 1 }, null, 4001),
        await store.trials.createWaiting(exp.id, { x: 2 }, null, 4001),
        await store.trials.createWaiting(exp.id, { x: 3 }, null, 4001),
      ];
      for (const t of [crashed, cancelled, failed]) await store.trials.claim(t.id, null, 'w', 4002 + 60_000, 4002);
      const stopped = { metrics: null, value: null, backend: null, lastStep: null, artifactDir: null } as const;
      await store.trials.finish(cancelled.id, 1, exp.id, { ...stopped, state: 'FAILED', error: 'cancelled', interrupted: true }, 4003);
      await store.trials.finish(failed.id, 1, exp.id, { ...stopped, state: 'FAILED', error: 'boom' }, 4003);
      await store.trials.interruptRunning(exp.id, 4004);
      expect((await store.trials.interruptedWithoutRepeat(exp.id)).map((t) => [t.id, t.error])).toEqual([
        [crashed.id, 'interrupted'],
        [cancelled.id, 'cancelled'],
      ]);
      const repeat = await store.trials.createWaiting(
        exp.id,
        crashed.params,
        { id: crashed.id, number: crashed.number, reason: 'interrupted', retryNumber: 0 },
        4005,
      );
      expect(repeat).toMatchObject({
        number: 4,
        repeatOf: crashed.id,
        repeatOfNumber: crashed.number,
        repeatReason: 'interrupted',
        retryNumber: 0,
        params: { x: 1 },
      });
      expect((await store.trials.interruptedWithoutRepeat(exp.id)).map((t) => t.id)).toEqual([cancelled.id]);
      expect((await store.trials.inStates(exp.id, ['WAITING'])).map((t) => t.number)).toEqual([4]);
      expect((await store.trials.inStates(exp.id, ['FAILED', 'WAITING'])).map((t) => t.number)).toEqual([1, 2, 3, 4]);
    });

    it('ranks by objective and by any metric, and pages with a cursor', async () => {
      const exp = await store.experiments.create(sampleSpec(), 'iris.csv', 'owner-1', 3000);
      const values = [0.3, 0.1, null, 0.2, 0.1];
      for (const v of values) {
        const t = await store.trials.createWaiting(exp.id, { x: v ?? 0 }, null, 3001);
        await store.trials.claim(t.id, null, 'w', 3002 + 60_000, 3002);
        await store.trials.finish(
          t.id,
          1,
          exp.id,
          v === null
            ? { state: 'FAILED', metrics: null, value: null, error: 'boom', backend: null, lastStep: null, artifactDir: null }
            : complete(v, { loss: v, acc: 1 - v }),
          3003,
        );
      }
      const board = await store.queries.leaderboard(exp.id, undefined, 'minimize', 3);
      expect(board.map((r) => [r.trial.number, r.rankValue])).toEqual([
        [2, 0.1],
        [5, 0.1],
        [4, 0.2],
      ]);
      const byAcc = await store.queries.leaderboard(exp.id, 'acc', 'maximize', 1);
      expect(byAcc[0].trial.number).toBe(2);
      expect(await store.queries.leaderboard(exp.id, undefined, 'minimize', 3, ['PRUNED'])).toEqual([]);
      expect(await store.queries.finalMetricNames(exp.id)).toEqual(['acc', 'loss']);
      const global = await store.queries.globalLeaderboard('acc', 'maximize', 2, 'iris.csv');
      expect(global.map((r) => [r.experimentName, r.rankValue])).toEqual([
        ['sample', 0.9],
        ['sample', 0.9],
      ]);
      expect(await store.queries.globalLeaderboard('acc', 'maximize', 2, 'wine.csv')).toEqual([]);
      for (const [sort, direction, expected] of [
        ['objective', 'minimize', [2, 5, 4, 1, 3]],
        ['objective', 'maximize', [1, 4, 2, 5, 3]],
        ['number', 'minimize', [1, 2, 3, 4, 5]],
      ] as const) {
        const seen: number[] = [];
        let cursor: string | undefined;
        do {
          const page = await store.queries.page(exp.id, { sort, direction, limit: 2, cursor });
          seen.push(...page.items.map((t) => t.number));
          cursor = page.nextCursor;
        } while (cursor);
        expect(seen).toEqual(expected);
      }
      const completeOnly = await store.queries.page(exp.id, { sort: 'number', direction: 'minimize', state: 'COMPLETE', limit: 10 });
      expect(completeOnly.items.map((t) => t.number)).toEqual([1, 2, 4, 5]);
      const first = await store.queries.page(exp.id, { sort: 'number', direction: 'minimize', limit: 1 });
      await expect(store.queries.page(exp.id, { sort: 'objective', direction: 'minimize', limit: 1, cursor: first.nextCursor })).rejects.toThrow(RangeError);
      await expect(store.queries.page(exp.id, { sort: 'number', direction: 'minimize', limit: 1, cursor: 'garbage' })).rejects.toThrow(RangeError);
      expect(await store.queries.countsByState(exp.id)).toEqual({ WAITING: 0, RUNNING: 0, COMPLETE: 4, PRUNED: 0, FAILED: 1 });
    });
  });

  describe('model registry', () => {
    it('numbers versions 1, 2, ... per model, also under concurrent promotions, and reads them back', async () => {
      const { models } = store;
      const id = await models.ensureModel('m', 1000);
      expect(await models.ensureModel('m', 2000)).toBe(id);
      const numbers = await Promise.all([0.5, 0.6, 0.7].map((v) => models.insertVersion(id, modelDraft(v), 1001)));
      expect(numbers.sort()).toEqual([1, 2, 3]);
      const v = await models.version(id, 2);
      expect(v).toMatchObject({ model: 'm', version: 2, trialNumber: 3, tags: { team: 'ml' }, archived: false, quantization: null, createdAt: 1001 });
      expect(v!.testMetrics!.test_accuracy).toBeCloseTo(v!.objective.value - 0.01, 9);
      expect(v!.objective.value).toBeGreaterThan(0.4);
      expect((await models.versions(id)).map((x) => x.version)).toEqual([3, 2, 1]);
      const other = await models.ensureModel('other', 1000);
      expect(await models.insertVersion(other, modelDraft(0.1), 1002)).toBe(1);
      expect(await models.modelId('nope')).toBeUndefined();
      expect(await models.version(id, 99)).toBeUndefined();
    });

    it('moves aliases (compare-and-set when asked), never onto a missing version', async () => {
      const { models } = store;
      const id = (await models.modelId('m'))!;
      expect(await models.moveAlias(id, 'production', 1, 1100, null)).toBe(true);
      expect(await models.moveAlias(id, 'production', 2, 1101, null)).toBe(false);
      expect(await models.moveAlias(id, 'production', 2, 1102, 3)).toBe(false);
      expect(await models.moveAlias(id, 'production', 2, 1103, 1)).toBe(true);
      expect(await models.moveAlias(id, 'production', 99, 1104)).toBe(false);
      expect(await models.moveAlias(id, 'staging', 3, 1105)).toBe(true);
      expect(await models.aliasVersion('m', 'production')).toBe(2);
      expect(await models.aliasVersion('m', 'nope')).toBeUndefined();
      expect(await models.aliases(id)).toEqual([
        { alias: 'production', version: 2, updatedAt: 1103 },
        { alias: 'staging', version: 3, updatedAt: 1105 },
      ]);
      expect((await models.list()).find((s) => s.name === 'm')).toEqual({
        name: 'm',
        createdAt: 1000,
        versionCount: 3,
        latestVersion: 3,
        aliases: { production: 2, staging: 3 },
      });
    });

    it('archives, and deletes only versions no alias holds', async () => {
      const { models } = store;
      const id = (await models.modelId('m'))!;
      expect(await models.setArchived(id, 1, true)).toBe(true);
      expect(await models.setArchived(id, 99, true)).toBe(false);
      expect((await models.version(id, 1))!.archived).toBe(true);
      expect(await models.deleteVersion(id, 2)).toBe('aliased');
      expect(await models.deleteVersion(id, 1)).toBe('deleted');
      expect(await models.deleteVersion(id, 1)).toBe('missing');
      expect(await models.deleteAlias(id, 'staging')).toBe(true);
      expect(await models.deleteAlias(id, 'staging')).toBe(false);
      expect(await models.deleteVersion(id, 3)).toBe('deleted');
    });

    it('never reuses a deleted version number, not even the newest, nor after every version is deleted', async () => {
      const { models } = store;
      const id = await models.ensureModel('reuse', 3000);
      for (const n of [1, 2, 3]) expect(await models.insertVersion(id, modelDraft(0.5), 3001)).toBe(n);
      expect(await models.deleteVersion(id, 3)).toBe('deleted');
      expect(await models.insertVersion(id, modelDraft(0.6), 3002)).toBe(4);
      for (const n of [1, 2, 4]) expect(await models.deleteVersion(id, n)).toBe('deleted');
      expect(await models.list()).toContainEqual({ name: 'reuse', createdAt: 3000, versionCount: 0, latestVersion: null, aliases: {} });
      expect(await models.modelId('reuse')).toBe(id); // the model outlives its versions, and so does its numbering
      expect(await models.insertVersion(id, modelDraft(0.7), 3003)).toBe(5);
      await models.removeVersionRow(id, 5); // a promotion whose files could not be put in place
      expect(await models.insertVersion(id, modelDraft(0.8), 3004)).toBe(6);
      expect((await models.versions(id)).map((x) => x.version)).toEqual([6]);
    });
  });

  describe('keys and the audit log', () => {
    const key = (id: string, name: string) => ({ id, name, scope: 'write' as const, salt: 'aa', hash: 'bb', createdAt: 10, revokedAt: null, lastUsedAt: null });

    it('stores a key once per name and per id, revokes it once, and counts the active ones', async () => {
      const { keys } = store;
      expect(await keys.insert(key('000000000001', 'ci'))).toBe(true);
      expect(await keys.insert(key('000000000002', 'ci'))).toBe(false);
      expect(await keys.insert(key('000000000001', 'other'))).toBe(false);
      expect(await keys.insert(key('000000000003', 'ops'))).toBe(true);
      expect(await keys.countActive()).toBe(2);
      expect(await keys.byId('000000000001')).toEqual(key('000000000001', 'ci'));
      expect(await keys.byId('ffffffffffff')).toBeUndefined();
      await keys.touch('000000000001', 50);
      expect(await keys.revoke('ci', 60)).toBe(true);
      expect(await keys.revoke('ci', 70)).toBe(false);
      expect(await keys.revoke('nobody', 70)).toBe(false);
      expect(await keys.countActive()).toBe(1);
      expect((await keys.list()).map((k) => [k.name, k.revokedAt, k.lastUsedAt])).toEqual([
        ['ci', 60, 50],
        ['ops', null, null],
      ]);
    });

    it('appends audit entries and lists them newest first, by actor, action and page', async () => {
      const { audit } = store;
      const first = await audit.append({ at: 1, actor: 'ci', action: 'submit', target: 'experiment 1', origin: '127.0.0.1', detail: null });
      await audit.append({ at: 2, actor: 'ops', action: 'cancel', target: 'experiment 1', origin: '10.0.0.2', detail: { why: 'x' } });
      const third = await audit.append({ at: 3, actor: 'ci', action: 'alias-move', target: 'model m/production', origin: 'cli', detail: { version: 2 } });
      expect(third.id).toBeGreaterThan(first.id);
      expect((await audit.list({ limit: 10 })).map((e) => e.at)).toEqual([3, 2, 1]);
      expect((await audit.list({ limit: 10, actor: 'ci' })).map((e) => e.action)).toEqual(['alias-move', 'submit']);
      expect(await audit.list({ limit: 10, action: 'cancel' })).toEqual([
        { id: expect.any(Number), at: 2, actor: 'ops', action: 'cancel', target: 'experiment 1', origin: '10.0.0.2', detail: { why: 'x' } },
      ]);
      expect((await audit.list({ limit: 1, before: third.id })).map((e) => e.at)).toEqual([2]);
    });

    it('records who submitted an experiment and counts their running ones', async () => {
      const a = await store.experiments.create(sampleSpec({ name: 'by-key' }), null, 'p', 1);
      const b = await store.experiments.create(sampleSpec({ name: 'by-key' }), null, 'p', 1);
      await store.experiments.setSubmitter(a.id, 'ci');
      await store.experiments.setSubmitter(b.id, 'ci');
      expect((await store.experiments.get(a.id))?.submittedBy).toBe('ci');
      expect(await store.experiments.countRunningBySubmitter('ci')).toBe(2);
      await store.experiments.finish(b.id, 'CANCELLED', 'cancelled', 2);
      expect(await store.experiments.countRunningBySubmitter('ci')).toBe(1);
      expect(await store.experiments.countRunningBySubmitter('nobody')).toBe(0);
    });
  });
}

describe('storage conformance: memory', () => storageConformance(async () => memoryTarget));

describe('storage conformance: sqlite', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());
  storageConformance(async () => sqliteTarget(tmp.dir));
});

describePostgres('storage conformance: postgres', () => storageConformance(postgresTarget));
