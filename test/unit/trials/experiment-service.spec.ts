import { MemoryStore } from '../../../src/storage/memory/memory-store';
import { TrialRecord } from '../../../src/trials/trial.types';
import { FakeObjective } from '../../support/fake-executor';
import { moduleConfig } from '../../support/service-fixture';
import { fakeServices } from '../../support/fake-service';
import { tempDir } from '../../support/temp-dir';

/** A module config whose file exists (validation checks it); the fake executor runs the test's objective instead. */
const config = (overrides: Record<string, unknown> = {}) =>
  moduleConfig('quadratic.js', { budget: { maxTrials: 6, parallelism: 2, trialTimeoutSec: 5, maxFailedTrials: 6 }, ...overrides });

const quadratic: FakeObjective = async (params, ctx) => {
  const value = ((params.x as number) - 1) ** 2 + ((params.k as number) - 3) ** 2;
  for (let step = 1; step <= 3; step++) await ctx.report(step, { loss: value + 1 / step });
  return { loss: value };
};

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms).unref());

describe('the experiment service on the memory store, with trials run in process', () => {
  const tmp = tempDir('hpo-unit-');
  afterAll(() => tmp.cleanup());
  const { executors, open, trialsOf } = fakeServices(tmp.dir, 4);

  it('runs to its budget, numbers trials gap-free, ranks them, and tells listeners of each trial and of the end', async () => {
    const { service } = open(quadratic);
    const finished: TrialRecord[] = [];
    const ended: string[] = [];
    service.events.on('trialFinished', ({ trial }) => void finished.push(trial));
    service.events.on('experimentFinished', ({ experiment }) => void ended.push(experiment.state));
    const created = await service.create(config(), '/');
    expect(created.notices).toEqual([]);
    expect(await service.waitFor(created.id)).toMatchObject({ state: 'COMPLETE', stopReason: 'maxTrials reached' });
    const trials = await trialsOf(service, created.id);
    expect(trials.map((t) => [t.number, t.state, t.lastStep])).toEqual([1, 2, 3, 4, 5, 6].map((n) => [n, 'COMPLETE', 3]));
    expect(finished.map((t) => t.number).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(ended).toEqual(['COMPLETE']);
    expect(executors.at(-1)!.peakConcurrency).toBe(2);
    expect(executors.at(-1)!.destroyed).toBe(true);
    const board = await service.leaderboard(created.id, { limit: 6 });
    expect(board.complete.map((r) => r.value)).toEqual(trials.map((t) => t.value!).sort((a, b) => a - b));
    expect((await service.trial(created.id, 1)).curve.loss.map((p) => p.step)).toEqual([1, 2, 3]);
    const view = await service.get(created.id);
    expect(view).toMatchObject({ trialCounts: { COMPLETE: 6 }, parallelism: { requested: 2, effective: 2 }, promotion: null });
    expect(view.bestTrial!.value).toBe(board.complete[0].value);
  });

  it('replays the same trials from the same seed, one trial at a time', async () => {
    const run = async () => {
      const { service } = open(quadratic);
      const created = await service.create(config({ budget: { maxTrials: 5, parallelism: 1 } }), '/');
      await service.waitFor(created.id);
      return (await trialsOf(service, created.id)).map((t) => [t.params, t.value]);
    };
    expect(await run()).toEqual(await run());
  });

  it('says at submit and in the view when the parallelism is capped by the slots of the process', async () => {
    const { service } = open(quadratic);
    const created = await service.create(config({ budget: { maxTrials: 2, parallelism: 8 } }), '/');
    expect(created.notices).toEqual(['parallelism 8 runs as 4: this process has 4 worker slots (the CPU cores, or HPO_SLOTS)']);
    expect((await service.get(created.id)).parallelism).toEqual({
      requested: 8,
      effective: 4,
      cappedBy: 'this process has 4 worker slots (the CPU cores, or HPO_SLOTS)',
    });
    await service.waitFor(created.id);
  });

  it('records a trial that throws as FAILED with its message, and a timeout as FAILED timed out', async () => {
    const { service } = open(async (params) => {
      if ((params.x as number) < 0) throw new Error(`x must be positive, got ${params.x}`);
      if ((params.k as number) === 5) return new Promise(() => undefined); // hangs
      return { loss: params.x as number };
    });
    const created = await service.create(config({ budget: { maxTrials: 10, parallelism: 2, trialTimeoutSec: 0.1, maxFailedTrials: 10 } }), '/');
    await service.waitFor(created.id);
    const trials = await trialsOf(service, created.id);
    for (const t of trials) {
      if ((t.params.x as number) < 0) expect([t.state, t.error]).toEqual(['FAILED', `x must be positive, got ${t.params.x}`]);
      else if (t.params.k === 5) expect([t.state, t.error]).toEqual(['FAILED', 'timed out after 0.1 s']);
      else expect(t.state).toBe('COMPLETE');
    }
  });

  it('stops at maxFailedTrials with a reason that counts every failed trial, those still running at the stop included', async () => {
    const { service } = open(async (params) => {
      await tick((params.k as number) * 5);
      throw new Error('boom');
    });
    const created = await service.create(config({ budget: { maxTrials: 20, parallelism: 3, trialTimeoutSec: 5, maxFailedTrials: 2 } }), '/');
    const final = await service.waitFor(created.id);
    const failed = (await trialsOf(service, created.id)).filter((t) => t.state === 'FAILED').length;
    expect(failed).toBeGreaterThanOrEqual(2);
    expect(final).toMatchObject({ state: 'FAILED', stopReason: `maxFailedTrials reached (${failed} trials failed, the limit is 2)` });
    expect((await service.get(created.id)).trialCounts!.FAILED).toBe(failed);
  });

  it('ends FAILED when every trial failed', async () => {
    const { service } = open(async () => ({ other: 1 }));
    const created = await service.create(config({ budget: { maxTrials: 2, parallelism: 1, maxFailedTrials: 5 } }), '/');
    expect(await service.waitFor(created.id)).toMatchObject({ state: 'FAILED', stopReason: 'every trial failed (2 trials)' });
    expect((await trialsOf(service, created.id))[0].error).toBe('the objective metric "loss" is missing from the trial\'s final metrics (got: other)');
  });

  it('ends when a grid is exhausted', async () => {
    const { service } = open(async (params) => ({ loss: params.k as number }));
    const created = await service.create(
      config({ space: { k: { type: 'int', low: 1, high: 3 } }, search: { algorithm: 'grid' }, budget: { maxTrials: 10, parallelism: 2 } }),
      '/',
    );
    expect(await service.waitFor(created.id)).toMatchObject({ state: 'COMPLETE', stopReason: 'search space exhausted' });
    expect((await trialsOf(service, created.id)).map((t) => t.params.k).sort()).toEqual([1, 2, 3]);
  });

  it('prunes trials whose intermediate values fall behind, by the experiment pruner', async () => {
    const { service } = open(async (params, ctx) => {
      const level = params.x as number;
      for (let step = 1; step <= 9; step++) {
        await ctx.report(step, { loss: level + 1 / step });
        if (ctx.shouldPrune()) return { loss: level + 1 / step };
      }
      return { loss: level };
    });
    const created = await service.create(
      config({ budget: { maxTrials: 12, parallelism: 1 }, pruning: { algorithm: 'median', settings: { minTrials: 2 } } }),
      '/',
    );
    await service.waitFor(created.id);
    const trials = await trialsOf(service, created.id);
    const pruned = trials.filter((t) => t.state === 'PRUNED');
    expect(pruned.length).toBeGreaterThan(0);
    expect(pruned.every((t) => t.lastStep! < 9)).toBe(true);
    expect(trials.filter((t) => t.state === 'COMPLETE').every((t) => t.lastStep === 9)).toBe(true);
  });

  it('cancels: running trials end FAILED cancelled and interrupted, and a resume runs their parameters again', async () => {
    const { service } = open(async (params) => {
      await tick(10_000);
      return { loss: params.x as number };
    });
    const created = await service.create(config({ budget: { maxTrials: 4, parallelism: 2, trialTimeoutSec: 30, maxFailedTrials: 1 } }), '/');
    await tick(20);
    expect((await service.cancel(created.id)).state).toBe('CANCELLED');
    const cancelled = await trialsOf(service, created.id);
    expect(cancelled.map((t) => [t.state, t.error, t.interrupted])).toEqual([
      ['FAILED', 'cancelled', true],
      ['FAILED', 'cancelled', true],
    ]);
    await expect(service.cancel(created.id)).rejects.toThrow(/is CANCELLED, not RUNNING/);

    const quick = open(quadratic, {}, service.store as MemoryStore).service;
    await quick.resume(created.id);
    expect(await quick.waitFor(created.id)).toMatchObject({ state: 'COMPLETE' });
    const after = await trialsOf(quick, created.id);
    expect(after.filter((t) => !t.interrupted).map((t) => t.state)).toEqual(['COMPLETE', 'COMPLETE', 'COMPLETE', 'COMPLETE']);
    for (const t of cancelled) expect(after.find((r) => r.repeatOf === t.number)?.params).toEqual(t.params);
    await expect(quick.resume(created.id)).rejects.toThrow(/has run all 4 trials of its budget/);
  });

  it('leaves trials RUNNING at shutdown; a process that starts later resumes them once the lease has passed', async () => {
    let now = 1_000_000;
    const clock = () => now;
    const first = open(async () => new Promise(() => undefined), { now: clock, leaseMs: 1_000 });
    const created = await first.service.create(config({ budget: { maxTrials: 3, parallelism: 2 } }), '/');
    await tick(20);
    await first.service.shutdown();
    expect((await trialsOf(first.service, created.id)).map((t) => t.state)).toEqual(['RUNNING', 'RUNNING']);
    const second = open(quadratic, { now: clock, leaseMs: 1_000 }, first.store);
    expect(await second.service.resumeInterrupted()).toEqual([]); // the first owner's heartbeat is fresh
    now += 1_500;
    expect(await second.service.resumeInterrupted()).toEqual([created.id]);
    expect(await second.service.waitFor(created.id)).toMatchObject({ state: 'COMPLETE' });
    const trials = await trialsOf(second.service, created.id);
    expect(trials.filter((t) => t.interrupted).map((t) => [t.number, t.error])).toEqual([
      [1, 'interrupted'],
      [2, 'interrupted'],
    ]);
    expect(trials.filter((t) => !t.interrupted).map((t) => t.state)).toEqual(['COMPLETE', 'COMPLETE', 'COMPLETE']);
    expect(trials.filter((t) => t.repeatOf !== null).map((t) => t.repeatOf)).toEqual([1, 2]);
  });

  it('refuses configs with problems before storing anything', async () => {
    const { service, store } = open(quadratic);
    await expect(service.create(config({ budget: { maxTrials: 0 } }), '/')).rejects.toMatchObject({
      problems: [{ path: 'budget.maxTrials', message: 'must be >= 1' }],
    });
    expect((await store.experiments.list({ limit: 10, offset: 0 })).total).toBe(0);
  });
});
