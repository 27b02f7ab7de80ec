import { Store } from '../../src/storage/store';
import { sampleSpec } from '../support/sample-spec';
import { postgresTarget, sqliteTarget, TestTarget } from '../support/storage-targets';
import { tempDir } from '../support/temp-dir';

/** The same suite over every storage: a real SQLite file, and PostgreSQL where a server is reachable. */
describe.each(['sqlite', 'postgres'])('storage conformance: %s', (kind) => {
  const tmp = tempDir();
  let store: Store;
  let target: TestTarget | undefined;
  beforeAll(async () => {
    target = kind === 'sqlite' ? sqliteTarget(tmp.dir) : await postgresTarget();
    if (!target) {
      console.warn('PostgreSQL not reachable: the postgres storage suite is skipped');
      return;
    }
    store = await Store.open(target.target);
  });
  afterAll(async () => {
    await store?.close();
    await target?.drop();
    tmp.cleanup();
  });
  const it = (name: string, fn: () => Promise<void>) => test(name, async () => (target ? fn() : undefined));

  it('creates the schema by migrations (WAL mode on SQLite)', async () => {
    if (kind === 'sqlite') {
      const [mode] = await store.dialect.rows<{ journal_mode: string }>('PRAGMA journal_mode');
      expect(mode.journal_mode).toBe('wal');
    }
    const migrations = await store.dialect.rows<{ name: string }>('SELECT name FROM migrations');
    expect(migrations.map((m) => m.name)).toContain('InitialSchema1732260000000');
  });

  it('numbers trials gap-free, claims once, finishes once', async () => {
    const exp = await store.experiments.create(sampleSpec(), null, 'owner-1', 1000);
    const a = await store.trials.createWaiting(exp.id, { x: 1 }, null, 1001);
    const b = await store.trials.createWaiting(exp.id, { x: 2 }, null, 1002);
    expect([a.number, b.number]).toEqual([1, 2]);
    expect(await store.trials.claim(a.id, null, 1003)).toBe(true);
    expect(await store.trials.claim(a.id, null, 1004)).toBe(false);
    const result = { state: 'COMPLETE' as const, metrics: { loss: 0.5, acc: 0.9 }, value: 0.5, error: null, backend: null, lastStep: 3, artifactDir: null };
    expect(await store.trials.finish(a.id, exp.id, result, 1005)).toBe(true);
    expect(await store.trials.finish(a.id, exp.id, result, 1006)).toBe(false);
    expect(await store.trials.finish(b.id, exp.id, result, 1006)).toBe(false); // never claimed
    const stored = await store.queries.byNumber(exp.id, 1);
    expect(stored).toMatchObject({ state: 'COMPLETE', value: 0.5, metrics: { loss: 0.5, acc: 0.9 }, lastStep: 3, interrupted: false });
  });

  it('finds the newest experiment with a name', async () => {
    await store.experiments.create(sampleSpec({ name: 'twice' }), null, 'a', 500);
    const newer = await store.experiments.create(sampleSpec({ name: 'twice' }), null, 'a', 600);
    expect(await store.experiments.newestIdByName('twice')).toBe(newer.id);
    expect(await store.experiments.newestIdByName('never')).toBeUndefined();
  });

  it('leases an experiment to one process at a time, by heartbeat', async () => {
    const exp = await store.experiments.create(sampleSpec(), null, 'a', 10_000);
    expect(await store.experiments.claim(exp.id, 'b', 10_500, 10_500 - 1_000)).toBe(false); // a is alive
    expect(await store.experiments.heartbeat(exp.id, 'a', 11_000)).toBe(true);
    expect(await store.experiments.claim(exp.id, 'b', 13_000, 13_000 - 1_000)).toBe(true); // a went quiet
    expect(await store.experiments.heartbeat(exp.id, 'a', 13_100)).toBe(false); // a learns it lost it
    expect(await store.experiments.get(exp.id)).toMatchObject({ owner: 'b', heartbeatAt: 13_000 });
    await store.experiments.finish(exp.id, 'COMPLETE', 'done', 14_000);
    expect((await store.experiments.get(exp.id))?.owner).toBeNull();
    expect(await store.experiments.heartbeat(exp.id, 'b', 14_100)).toBe(false);
  });

  it('stores intermediate reports and interrupts RUNNING trials', async () => {
    const exp = await store.experiments.create(sampleSpec(), null, 'owner-1', 2000);
    const t = await store.trials.createWaiting(exp.id, { x: 3 }, null, 2001);
    await store.trials.claim(t.id, null, 2002);
    await store.trials.saveIntermediate([
      { trialId: t.id, step: 1, metrics: { loss: 2 } },
      { trialId: t.id, step: 2, metrics: { loss: 1, acc: 0.5 } },
    ]);
    expect(await store.trials.curve(t.id)).toEqual([
      { step: 1, name: 'loss', value: 2 },
      { step: 2, name: 'acc', value: 0.5 },
      { step: 2, name: 'loss', value: 1 },
    ]);
    expect((await store.trials.metricCurves(exp.id, 'loss')).get(t.id)).toEqual([{ step: 1, value: 2 }, { step: 2, value: 1 }]);
    const interrupted = await store.trials.interruptRunning(exp.id, 2003);
    expect(interrupted.map((x) => [x.id, x.state, x.interrupted, x.error, x.lastStep])).toEqual([[t.id, 'FAILED', true, 'interrupted', 2]]);
  });

  it('lists interrupted trials (crashed or cancelled) until their parameters are queued again', async () => {
    const exp = await store.experiments.create(sampleSpec(), 'iris.csv', 'owner-1', 4000);
    const [crashed, cancelled, failed] = [await store.trials.createWaiting(exp.id, { x: 1 }, null, 4001), await store.trials.createWaiting(exp.id, { x: 2 }, null, 4001), await store.trials.createWaiting(exp.id, { x: 3 }, null, 4001)];
    for (const t of [crashed, cancelled, failed]) await store.trials.claim(t.id, null, 4002);
    const stopped = { metrics: null, value: null, backend: null, lastStep: null, artifactDir: null } as const;
    await store.trials.finish(cancelled.id, exp.id, { ...stopped, state: 'FAILED', error: 'cancelled', interrupted: true }, 4003);
    await store.trials.finish(failed.id, exp.id, { ...stopped, state: 'FAILED', error: 'boom' }, 4003);
    await store.trials.interruptRunning(exp.id, 4004);
    expect((await store.trials.interruptedWithoutRepeat(exp.id)).map((t) => [t.id, t.error])).toEqual([[crashed.id, 'interrupted'], [cancelled.id, 'cancelled']]);
    await store.trials.createWaiting(exp.id, crashed.params, crashed.id, 4005);
    expect((await store.trials.interruptedWithoutRepeat(exp.id)).map((t) => t.id)).toEqual([cancelled.id]);
  });

  it('ranks by objective and by any metric, and pages with a cursor', async () => {
    const exp = await store.experiments.create(sampleSpec(), 'iris.csv', 'owner-1', 3000);
    const values = [0.3, 0.1, null, 0.2, 0.1];
    for (const v of values) {
      const t = await store.trials.createWaiting(exp.id, { x: v ?? 0 }, null, 3001);
      await store.trials.claim(t.id, null, 3002);
      await store.trials.finish(t.id, exp.id, { state: v === null ? 'FAILED' : 'COMPLETE', metrics: v === null ? null : { loss: v, acc: 1 - v }, value: v, error: v === null ? 'boom' : null, backend: null, lastStep: null, artifactDir: null }, 3003);
    }
    const board = await store.queries.leaderboard(exp.id, undefined, 'minimize', 3);
    expect(board.map((r) => [r.trial.number, r.rankValue])).toEqual([[2, 0.1], [5, 0.1], [4, 0.2]]);
    const byAcc = await store.queries.leaderboard(exp.id, 'acc', 'maximize', 1);
    expect(byAcc[0].trial.number).toBe(2);
    const global = await store.queries.globalLeaderboard('acc', 'maximize', 2, 'iris.csv');
    expect(global.map((r) => r.experimentName)).toEqual(['sample', 'sample']);
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.queries.page(exp.id, { sort: 'objective', direction: 'minimize', limit: 2, cursor });
      seen.push(...page.items.map((t) => t.number));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([2, 5, 4, 1, 3]);
    expect(await store.queries.countsByState(exp.id)).toMatchObject({ COMPLETE: 4, FAILED: 1 });
  });
});
