import { MemoryStore } from '../../../../src/storage/memory/memory-store';
import { REFRESH_MS } from '../../../../src/trials/dashboard/column-cache';
import { DashboardService } from '../../../../src/trials/dashboard/dashboard.service';
import { ExperimentService } from '../../../../src/trials/experiment.service';
import { createRng } from '../../../../src/search/rng';
import { completeResult, sampleSpec } from '../../../support/sample-spec';
import { tempDir } from '../../../support/temp-dir';

const complete = completeResult;

/** A memory store with a finished experiment's trials written through the ports, and a clock the test moves. */
async function setUp(n: number, values: (i: number) => number | null = (i) => (i - n / 2) ** 2) {
  const store = new MemoryStore();
  const clock = { now: 10_000 };
  const tmp = tempDir('hpo-dash-');
  const experiments = new ExperimentService(store, { artifactsDir: tmp.dir, now: () => clock.now, machineSlots: 1 });
  const exp = await store.experiments.create(sampleSpec({ budget: { ...sampleSpec().budget, maxTrials: n + 10 } }), null, 'elsewhere', 1000);
  const rng = createRng(5);
  const ids: number[] = [];
  for (let i = 1; i <= n; i++) {
    const t = await store.trials.createWaiting(exp.id, { x: -5 + 10 * rng.next(), k: 1 + rng.int(4) }, null, 1000 + i);
    ids.push(t.id);
    await store.trials.claim(t.id, null, `worker-${i % 2}`, 99_999_999, 1000 + 10 * i);
    const v = values(i);
    await store.trials.finish(
      t.id,
      1,
      exp.id,
      v === null ? { ...complete(0), state: 'FAILED', value: null, metrics: null, error: 'x' } : complete(v),
      1000 + 10 * i + 15,
    );
  }
  const dashboard = new DashboardService(store, experiments, () => clock.now);
  return { store, clock, exp, ids, dashboard, experiments, close: async () => (await experiments.shutdown(), tmp.cleanup()) };
}

describe('the dashboard read model', () => {
  it('downsamples the history to the points asked for, keeps every improvement of the best, and says so', async () => {
    const s = await setUp(600);
    const o = await s.dashboard.overview(s.exp.id, 100);
    expect(o.history).toMatchObject({ total: 600, downsampled: true });
    expect(o.history.shown).toBeLessThanOrEqual(100);
    // The best-so-far line is exact: it ends at the true best, and never gets worse.
    const bestValues = o.history.best.map((p) => p[1]);
    expect(bestValues).toEqual([...bestValues].sort((a, b) => b - a));
    expect(bestValues[bestValues.length - 1]).toBe(o.experiment.bestTrial!.value);
    // Each bucket keeps its extremes: the global lowest and highest values survive.
    const all = Array.from({ length: 600 }, (_, i) => (i + 1 - 300) ** 2);
    const shown = o.history.points.map((p) => p[1]);
    expect(Math.min(...shown)).toBe(Math.min(...all));
    expect(Math.max(...shown)).toBe(Math.max(...all));
    // The per-trial sample keeps the best trials.
    expect(o.sample).toMatchObject({ total: 600, shown: 100, downsampled: true });
    expect(o.sample.numbers).toContain(o.experiment.bestTrial!.number);
    const small = await s.dashboard.overview(s.exp.id, 1000);
    expect(small.history).toMatchObject({ total: 600, shown: 600, downsampled: false });
    await s.close();
  });

  it('answers only what changed since a version: new trials and trials whose state moved', async () => {
    const s = await setUp(20);
    const first = await s.dashboard.changes(s.exp.id, 0);
    expect(first.trials.map((t) => t.number)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect((await s.dashboard.changes(s.exp.id, first.version)).trials).toEqual([]);
    // Another process adds a trial and starts it.
    const t = await s.store.trials.createWaiting(s.exp.id, { x: 1, k: 2 }, null, 50_000);
    await s.store.trials.claim(t.id, null, 'w', 99_999_999, 50_001);
    s.clock.now += REFRESH_MS;
    const running = await s.dashboard.changes(s.exp.id, first.version);
    expect(running.trials.map((r) => [r.number, r.state])).toEqual([[21, 'RUNNING']]);
    // Within the refresh interval the store is not read again, however many pages poll.
    await s.store.trials.finish(t.id, 1, s.exp.id, complete(-1), s.clock.now);
    expect((await s.dashboard.changes(s.exp.id, running.version)).trials).toEqual([]);
    s.clock.now += REFRESH_MS;
    const done = await s.dashboard.changes(s.exp.id, running.version);
    expect(done.trials.map((r) => [r.number, r.state, r.value])).toEqual([[21, 'COMPLETE', -1]]);
    expect(done.version).toBeGreaterThan(running.version);
    // After a restart the service's versions start past any it handed out, so a page still open is sent every trial again.
    s.clock.now += 1000;
    const restarted = new DashboardService(s.store, s.experiments, () => s.clock.now);
    expect((await restarted.changes(s.exp.id, done.version)).trials).toHaveLength(21);
    await s.close();
  });

  it('sorts and filters the whole table on the server and answers a window of it', async () => {
    const s = await setUp(50, (i) => (i % 10 === 0 ? null : (i * 37) % 23));
    const byValue = await s.dashboard.table(s.exp.id, { sort: 'value', order: 'asc', offset: 0, limit: 50 });
    expect(byValue.total).toBe(50);
    const values = byValue.rows.map((r) => r.value);
    expect(values.slice(0, 45)).toEqual([...values.slice(0, 45)].sort((a, b) => a! - b!));
    expect(values.slice(45)).toEqual([null, null, null, null, null]); // missing values last
    const failed = await s.dashboard.table(s.exp.id, { state: 'FAILED', sort: 'number', order: 'desc', offset: 1, limit: 2 });
    expect([failed.total, failed.rows.map((r) => r.number)]).toEqual([5, [40, 30]]);
    const byParam = await s.dashboard.table(s.exp.id, { sort: 'param:x', order: 'desc', offset: 0, limit: 50 });
    const xs = byParam.rows.map((r) => r.params.x as number);
    expect(xs).toEqual([...xs].sort((a, b) => b - a));
    await expect(s.dashboard.table(s.exp.id, { sort: 'param:nope', order: 'asc', offset: 0, limit: 5 })).rejects.toMatchObject({
      problems: [{ path: 'query.sort', message: 'must be one of number, value, duration, state, param:x, param:k' }],
    });
    const csv = (await s.dashboard.csv(s.exp.id)).trim().split('\n');
    expect(csv[0]).toBe('number,state,value,duration_sec,failure,x,k');
    expect(csv).toHaveLength(51);
    expect(csv[10]).toMatch(/^10,FAILED,,0\.015,error,/);
    await s.close();
  });

  it('bins a contour to the grid asked for, with the best value of each cell', async () => {
    const s = await setUp(300);
    const contour = await s.dashboard.contour(s.exp.id, 'x', 'k', 10);
    expect(contour.x.labels).toHaveLength(10);
    expect(contour.y.labels).toHaveLength(4); // k is an int of 4 values
    expect(contour.cells.length).toBeLessThanOrEqual(40);
    expect(contour.cells.reduce((n, c) => n + c[3], 0)).toBe(300);
    expect(Math.min(...contour.cells.map((c) => c[2]))).toBe(0);
    await expect(s.dashboard.contour(s.exp.id, 'x', 'zz')).rejects.toMatchObject({ problems: [{ path: 'query.y' }] });
    await s.close();
  });

  it('lays the timeline out by where trials ran: a process pool or a fleet worker, overlapping trials on separate slots, running ones included', async () => {
    const s = await setUp(0);
    const run = async (start: number, end: number | null, runner?: string) => {
      const t = await s.store.trials.createWaiting(s.exp.id, { x: 0, k: 1 }, null, start);
      await s.store.trials.claim(t.id, null, 'proc-a', 99_999_999, start);
      if (runner) await s.store.trials.setRunner(t.id, 1, runner);
      if (end !== null) await s.store.trials.finish(t.id, 1, s.exp.id, complete(1), end);
    };
    await run(100, 200);
    await run(150, 260);
    await run(210, 300);
    await run(280, null); // running in the pool
    await run(120, 400, 'host-1-77');
    await run(130, null, 'host-1-77'); // running on a fleet worker
    await run(410, 500, 'host-1-77');
    await run(420, null); // queued for the fleet, not heard from yet: in its scheduler's lanes
    const { timeline } = await s.dashboard.overview(s.exp.id);
    expect(timeline.bars.map((b) => [b.number, b.kind, b.worker, b.lane, b.end])).toEqual([
      [1, 'pool', 'proc-a', 0, 200],
      [5, 'fleet', 'host-1-77', 0, 400],
      [6, 'fleet', 'host-1-77', 1, null],
      [2, 'pool', 'proc-a', 1, 260],
      [3, 'pool', 'proc-a', 0, 300],
      [4, 'pool', 'proc-a', 1, null],
      [7, 'fleet', 'host-1-77', 0, 500],
      [8, 'pool', 'proc-a', 0, null],
    ]);
    await s.close();
  });
});
