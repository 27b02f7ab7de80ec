import { moduleConfig } from '../../support/service-fixture';
import { fakeServices } from '../../support/fake-service';
import { tempDir } from '../../support/temp-dir';

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms).unref());
const config = (budget: Record<string, unknown>, overrides: Record<string, unknown> = {}) =>
  moduleConfig('quadratic.js', { budget: { maxTrials: 6, parallelism: 1, trialTimeoutSec: 5, maxFailedTrials: 6, ...budget }, ...overrides });

/** The experiments use case on the memory store, trials run in process: retries, fencing, live changes, graceful stops, adoption, shared slots. */
describe('surviving failures and sharing the process', () => {
  const tmp = tempDir('hpo-faults-');
  afterAll(() => tmp.cleanup());
  const { executors, open, trialsOf } = fakeServices(tmp.dir, 2);

  it('retries the failures the policy names, as new trials linked to them, counted once', async () => {
    const attempts = new Map<string, number>();
    const { service } = open(async (params) => {
      const key = JSON.stringify(params);
      const n = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, n);
      if (n <= 2) throw Object.assign(new Error(`thread died on attempt ${n}`), { failure: 'crash' });
      return { loss: params.x as number };
    });
    const created = await service.create(config({ maxTrials: 2, maxRetries: 2, maxFailedTrials: 1 }), '/');
    expect(await service.waitFor(created.id)).toMatchObject({ state: 'COMPLETE', stopReason: 'maxTrials reached' });
    const trials = await trialsOf(service, created.id);
    // Each parameter set failed twice (crashes, retried) and succeeded on its second retry: 2 × 3 trials.
    expect(trials.filter((t) => t.state === 'COMPLETE')).toHaveLength(2);
    expect(trials.filter((t) => t.state === 'FAILED').map((t) => [t.failure, t.retried])).toEqual([
      ['crash', true],
      ['crash', true],
      ['crash', true],
      ['crash', true],
    ]);
    for (const t of trials.filter((x) => x.repeatOf !== null)) {
      const original = trials.find((x) => x.number === t.repeatOf)!;
      expect([t.repeatReason, t.params]).toEqual(['retry', original.params]);
    }
    const detail = await service.trial(created.id, trials.find((t) => t.state === 'COMPLETE')!.number);
    expect(detail.chain.map((c) => c.state)).toEqual(['FAILED', 'FAILED', 'COMPLETE']);
  });

  it('does not retry what the policy leaves out, and counts it against maxFailedTrials', async () => {
    const { service } = open(async () => {
      throw new Error('bad parameters');
    });
    const created = await service.create(config({ maxTrials: 5, maxRetries: 3, maxFailedTrials: 2 }), '/'); // retryOn: crash only (the default)
    expect(await service.waitFor(created.id)).toMatchObject({ state: 'FAILED', stopReason: 'maxFailedTrials reached (2 trials failed, the limit is 2)' });
    expect((await trialsOf(service, created.id)).map((t) => [t.failure, t.retried, t.repeatOf])).toEqual([
      ['error', false, null],
      ['error', false, null],
    ]);
  });

  it('stops retrying when the chain has used maxRetries, and then counts the failure', async () => {
    const { service } = open(async () => {
      throw Object.assign(new Error('timeout-like'), { failure: 'crash' });
    });
    const created = await service.create(config({ maxTrials: 1, maxRetries: 2, maxFailedTrials: 5 }), '/');
    await service.waitFor(created.id);
    expect((await trialsOf(service, created.id)).map((t) => [t.number, t.retried, t.repeatOf])).toEqual([
      [1, true, null],
      [2, true, 1],
      [3, false, 2],
    ]);
  });

  it('ends an attempt whose lease ran out as lost, retries it by policy, and refuses and logs what the stale attempt sends later', async () => {
    let now = 2_000_000;
    let release: () => void = () => undefined;
    let runs = 0;
    const { service, store } = open(
      async (params, ctx) => {
        if (++runs > 1) return { loss: 1 }; // the retry
        await ctx.report(1, { loss: 5 });
        await new Promise<void>((r) => (release = r));
        await ctx.report(2, { loss: 4 });
        return { loss: 4 };
      },
      { now: () => now, leaseMs: 60_000, trialLeaseMs: 1_000 },
    );
    const created = await service.create(config({ maxTrials: 1, maxRetries: 1 }), '/');
    await tick(400); // the first report is stored (reports are written in batches every 200 ms)
    const [running] = await store.trials.inStates(created.id, ['RUNNING']);
    expect([running.attempt, running.worker]).toEqual([1, service.owner]);
    // The attempt's holder stopped renewing (what a worker that went away does) and the lease ran out.
    now += 5_000;
    await store.trials.renewLeases('nobody', 0);
    await service.host.loseExpired(now);
    expect(await store.queries.byNumber(created.id, 1)).toMatchObject({ state: 'FAILED', failure: 'lost', retried: true, lastStep: 1 });
    release(); // the stale attempt goes on, reports and returns
    expect(await service.waitFor(created.id)).toMatchObject({ state: 'COMPLETE' });
    const rejections = await store.trials.rejections(running.id);
    expect(rejections.map((r) => [r.attempt, r.kind])).toEqual(expect.arrayContaining([[1, 'result']]));
    expect(await store.queries.byNumber(created.id, 1)).toMatchObject({ state: 'FAILED', failure: 'lost', lastStep: 1 });
    expect((await store.trials.curve(running.id)).map((p) => p.step)).toEqual([1]);
    expect(await store.queries.byNumber(created.id, 2)).toMatchObject({ state: 'COMPLETE', repeatOf: running.id, repeatReason: 'retry' });
  });

  it('changes a running experiment live: a wider parallelism applies within a second, a budget below what ran is refused', async () => {
    let finish: () => void = () => undefined;
    const gate = new Promise<void>((r) => (finish = r));
    const { service } = open(async (params) => {
      await gate;
      return { loss: params.x as number };
    });
    const created = await service.create(config({ maxTrials: 6, parallelism: 1 }), '/');
    await tick(20);
    expect(executors.at(-1)!.running).toBe(1);
    const view = await service.update(created.id, { parallelism: 2, maxTrials: 8 });
    expect(view.spec!.budget).toMatchObject({ parallelism: 2, maxTrials: 8 });
    await tick(1_300);
    expect(executors.at(-1)!.running).toBe(2);
    finish();
    expect(await service.waitFor(created.id)).toMatchObject({ state: 'COMPLETE' });
    expect(await trialsOf(service, created.id)).toHaveLength(8);
    await expect(service.update(created.id, { parallelism: 1 })).rejects.toThrow(/only a RUNNING experiment changes live/);
  });

  it('stops gracefully: running trials get the grace, then are interrupted; another process adopts at once', async () => {
    const first = open(async () => new Promise(() => undefined));
    const created = await first.service.create(config({ maxTrials: 3, parallelism: 2 }), '/');
    await tick(20);
    const started = Date.now();
    expect(await first.service.stop(100)).toEqual([created.id]);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect((await trialsOf(first.service, created.id)).map((t) => [t.state, t.failure, t.interrupted])).toEqual([
      ['FAILED', 'interrupted', true],
      ['FAILED', 'interrupted', true],
    ]);
    expect(await first.store.experiments.get(created.id)).toMatchObject({ state: 'RUNNING', owner: null });
    const second = open(async (params) => ({ loss: params.x as number }), {}, first.store);
    expect(await second.service.resumeInterrupted()).toEqual([created.id]); // no lease to wait for
    expect(await second.service.waitFor(created.id)).toMatchObject({ state: 'COMPLETE' });
  });

  it('sweeps for experiments whose owner went silent and adopts them without a human', async () => {
    let now = 1_000_000;
    const first = open(async () => new Promise(() => undefined), { now: () => now, leaseMs: 1_000 });
    const created = await first.service.create(config({ maxTrials: 2 }), '/');
    await tick(20);
    await first.service.shutdown(); // as a kill -9: trials stay RUNNING, the heartbeat stops
    const second = open(async (params) => ({ loss: params.x as number }), { now: () => now, leaseMs: 1_000 }, first.store);
    const adopted: number[] = [];
    second.service.startSweeping(20, (ids) => adopted.push(...ids));
    await tick(100);
    expect(adopted).toEqual([]); // the owner's lease has not run out
    now += 1_500;
    for (let i = 0; i < 50 && adopted.length === 0; i++) await tick(20);
    expect(adopted).toEqual([created.id]);
    expect(await second.service.waitFor(created.id)).toMatchObject({ state: 'COMPLETE' });
    await second.service.stopSweeping();
    const trials = await trialsOf(second.service, created.id);
    expect(trials.filter((t) => t.interrupted)).toHaveLength(1);
    expect(trials.filter((t) => t.state === 'RUNNING' || t.state === 'WAITING')).toEqual([]);
  });

  it('shares two slots among three experiments at parallelism 2: never more than two trials at once, all three under way from the start', async () => {
    const { service } = open(async (params) => {
      await tick(15);
      return { loss: params.x as number };
    });
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await service.create(config({ maxTrials: 4, parallelism: 2 }, { name: `share-${i}` }), '/')).id);
    await Promise.all(ids.map((id) => service.waitFor(id)));
    const shared = executors.at(-1)!;
    expect(shared.peakConcurrency).toBe(2);
    // The first six trials started include trial 1 of every experiment: none waited for another to finish.
    const firsts = await Promise.all(ids.map(async (id) => Date.parse((await service.trial(id, 1)).startedAt!)));
    const lasts = await Promise.all(ids.map(async (id) => Date.parse((await service.trial(id, 4)).startedAt!)));
    expect(Math.max(...firsts)).toBeLessThanOrEqual(Math.min(...lasts));
  });
});
