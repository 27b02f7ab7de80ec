import { join } from 'node:path';
import { openStore } from '../../src/storage/store';
import { ExperimentService } from '../../src/trials/experiment.service';
import { moduleConfig, openService } from '../support/service-fixture';

/** Trials of an experiment, all pages, in number order. */
async function allTrials(service: ExperimentService, id: number) {
  return (await service.trials(id, { sort: 'number', limit: 1000 })).items;
}

describe('experiments on real worker threads and a real SQLite file', () => {
  let ctx: Awaited<ReturnType<typeof openService>>;
  beforeEach(async () => (ctx = await openService()));
  afterEach(async () => ctx.close());

  it('runs a module objective to its budget and ranks the trials', async () => {
    const created = await ctx.service.create(moduleConfig('quadratic.js', { budget: { maxTrials: 8, parallelism: 2, trialTimeoutSec: 20 } }), '/');
    const final = await ctx.service.waitFor(created.id);
    expect(final).toMatchObject({ state: 'COMPLETE', stopReason: 'maxTrials reached' });
    const trials = await allTrials(ctx.service, created.id);
    expect(trials.map((t) => t.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(trials.every((t) => t.state === 'COMPLETE' && t.lastStep === 3)).toBe(true);
    const board = await ctx.service.leaderboard(created.id, { limit: 3 });
    const values = board.complete.map((r) => r.value);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(values[0]).toBe(Math.min(...trials.map((t) => t.value!)));
    const detail = await ctx.service.trial(created.id, 1);
    expect(detail.curve.loss.map((p) => p.step)).toEqual([1, 2, 3]);
  });

  it('records a trial that throws as FAILED with its message and carries on', async () => {
    const created = await ctx.service.create(moduleConfig('throws.js', { objective: { metric: 'value', direction: 'maximize' } }), '/');
    await ctx.service.waitFor(created.id);
    const trials = await allTrials(ctx.service, created.id);
    expect(trials).toHaveLength(6);
    const failed = trials.filter((t) => t.state === 'FAILED');
    expect(failed.length).toBeGreaterThan(0);
    for (const t of failed) expect(t.error).toMatch(/x must be positive, got -/);
    expect(trials.filter((t) => t.state === 'COMPLETE').every((t) => (t.params.x as number) >= 0)).toBe(true);
  });

  it('records a trial that ends its thread as FAILED, and later trials still run', async () => {
    const created = await ctx.service.create(
      moduleConfig('crashes-sometimes.js', { budget: { maxTrials: 8, parallelism: 2, trialTimeoutSec: 10, maxFailedTrials: 8 } }),
      '/',
    );
    const final = await ctx.service.waitFor(created.id);
    expect(final.stopReason).toBe('maxTrials reached');
    const trials = await allTrials(ctx.service, created.id);
    expect(trials).toHaveLength(8);
    for (const t of trials) {
      if ((t.params.x as number) < 0) expect([t.state, t.error]).toEqual(['FAILED', 'worker exited with code: 3']);
      else expect(t.state).toBe('COMPLETE');
    }
    const firstCrash = trials.find((t) => t.state === 'FAILED')!.number;
    expect(trials.some((t) => t.state === 'COMPLETE' && t.number > firstCrash)).toBe(true);
  });

  it('stops at maxFailedTrials, and fails a thread that exits', async () => {
    const created = await ctx.service.create(
      moduleConfig('crashes.js', { budget: { maxTrials: 10, parallelism: 2, trialTimeoutSec: 20, maxFailedTrials: 3 } }),
      '/',
    );
    const final = await ctx.service.waitFor(created.id);
    expect(final.state).toBe('FAILED');
    expect(final.stopReason).toMatch(/maxFailedTrials/);
    const trials = await allTrials(ctx.service, created.id);
    expect(trials.length).toBeGreaterThanOrEqual(3);
    expect(trials.length).toBeLessThanOrEqual(4);
    for (const t of trials) expect(t.error).toMatch(/exit|code 3/i);
  });

  it('times out a trial that hangs, and reuses the slot', async () => {
    const created = await ctx.service.create(
      moduleConfig('hangs.js', { budget: { maxTrials: 3, parallelism: 1, trialTimeoutSec: 0.5, maxFailedTrials: 5 } }),
      '/',
    );
    const started = Date.now();
    // Every trial failed within budget: the experiment has no result, so it ends FAILED, not COMPLETE.
    expect(await ctx.service.waitFor(created.id)).toMatchObject({ state: 'FAILED', stopReason: 'every trial failed (3 trials)' });
    const trials = await allTrials(ctx.service, created.id);
    expect(trials.map((t) => [t.state, t.error])).toEqual([1, 2, 3].map(() => ['FAILED', 'timed out after 0.5 s']));
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('fails a trial whose objective metric is missing, naming what came back', async () => {
    const created = await ctx.service.create(moduleConfig('returns-nothing.js', { budget: { maxTrials: 1 } }), '/');
    await ctx.service.waitFor(created.id);
    const [t] = await allTrials(ctx.service, created.id);
    expect(t.error).toBe('the objective metric "loss" is missing from the trial\'s final metrics (got: other)');
  });

  it('cancels a running experiment: running trials end FAILED cancelled, interrupted, and a resume runs them again', async () => {
    // maxFailedTrials 1: the cancelled trials must not count as failures, or the resume would stop at once.
    const created = await ctx.service.create(
      moduleConfig('slow.mjs', { budget: { maxTrials: 6, parallelism: 2, trialTimeoutSec: 20, maxFailedTrials: 1 } }),
      '/',
    );
    await new Promise((r) => setTimeout(r, 600));
    const view = await ctx.service.cancel(created.id);
    expect(view.state).toBe('CANCELLED');
    const trials = await allTrials(ctx.service, created.id);
    expect(trials.filter((t) => t.state === 'RUNNING' || t.state === 'WAITING')).toEqual([]);
    const cancelled = trials.filter((t) => t.error === 'cancelled');
    expect(cancelled.length).toBeGreaterThan(0);
    expect(cancelled.every((t) => t.state === 'FAILED' && t.interrupted)).toBe(true);

    await ctx.service.resume(created.id);
    const final = await ctx.service.waitFor(created.id);
    expect(final).toMatchObject({ state: 'COMPLETE', stopReason: 'maxTrials reached' });
    const after = await allTrials(ctx.service, created.id);
    expect(after.filter((t) => !t.interrupted).map((t) => t.state)).toEqual(Array(6).fill('COMPLETE'));
    for (const t of cancelled) expect(after.find((r) => r.repeatOf === t.number)?.params).toEqual(t.params);
    // The cancelled trials have run again: nothing is left to resume.
    await expect(ctx.service.resume(created.id)).rejects.toThrow(/has run all 6 trials of its budget/);
  });

  it('ranks across experiments in the direction the experiments optimise the metric, not the one its name suggests', async () => {
    const up = await ctx.service.create(moduleConfig('quadratic.js', { objective: { metric: 'loss', direction: 'maximize' }, budget: { maxTrials: 3 } }), '/');
    await ctx.service.waitFor(up.id);
    const board = await ctx.service.globalLeaderboard({ metric: 'loss', limit: 3 });
    expect(board.direction).toBe('maximize');
    expect(board.rows.map((r) => r.value)).toEqual([...board.rows.map((r) => r.value)].sort((a, b) => b - a));

    const down = await ctx.service.create(
      moduleConfig('quadratic.js', { objective: { metric: 'loss', direction: 'minimize' }, budget: { maxTrials: 1 } }),
      '/',
    );
    await ctx.service.waitFor(down.id);
    await expect(ctx.service.globalLeaderboard({ metric: 'loss', limit: 3 })).rejects.toThrow(/experiments optimise loss in both directions/);
    expect((await ctx.service.globalLeaderboard({ metric: 'loss', limit: 3, direction: 'minimize' })).direction).toBe('minimize');
  });

  it('refuses a resume that could run nothing: no budget left, or a new budget at or below what has run', async () => {
    const created = await ctx.service.create(moduleConfig('quadratic.js', { budget: { maxTrials: 3 } }), '/');
    await ctx.service.waitFor(created.id);
    await expect(ctx.service.resume(created.id)).rejects.toThrow(
      `experiment ${created.id} has run all 3 trials of its budget: resume it with a larger budget (--max-trials on the command line, maxTrials in a REST body)`,
    );
    await expect(ctx.service.resume(created.id, { maxTrials: 3 })).rejects.toThrow(
      `experiment ${created.id} has already run 3 trials: a new budget (--max-trials, or maxTrials) must be more than that`,
    );
    expect((await ctx.service.get(created.id)).state).toBe('COMPLETE');
    await ctx.service.resume(created.id, { maxTrials: 5 });
    expect(await ctx.service.waitFor(created.id)).toMatchObject({ state: 'COMPLETE', spec: { budget: { maxTrials: 5 } } });
    expect(await allTrials(ctx.service, created.id)).toHaveLength(5);
  });
});

describe('an experiment cancelled by another process', () => {
  it('stops the runner that holds it within about a second', async () => {
    const ctx = await openService();
    try {
      const created = await ctx.service.create(moduleConfig('slow.mjs', { budget: { maxTrials: 40, parallelism: 2, trialTimeoutSec: 20 } }), '/');
      await new Promise((r) => setTimeout(r, 500));
      // A second service on the same file, as `hpo cancel` beside `hpo serve` would open.
      const other = await openStore({ kind: 'sqlite', file: join(ctx.dir, 'hpo.db') });
      const cancelledAt = Date.now();
      await new ExperimentService(other, { artifactsDir: join(ctx.dir, 'artifacts') }).cancel(created.id);
      await other.close();
      const final = await ctx.service.waitFor(created.id);
      expect(final.state).toBe('CANCELLED');
      expect(Date.now() - cancelledAt).toBeLessThan(5_000);
      const trials = (await ctx.service.trials(created.id, { sort: 'number', limit: 100 })).items;
      expect(trials.length).toBeLessThan(40);
      expect(trials.filter((t) => t.state === 'RUNNING' || t.state === 'WAITING')).toEqual([]);
    } finally {
      await ctx.close();
    }
  });
});

describe('two processes on one database', () => {
  it('the owner keeps its experiment while alive; another takes it over once its heartbeat is stale', async () => {
    const ctx = await openService();
    const other = await openStore({ kind: 'sqlite', file: join(ctx.dir, 'hpo.db') });
    const second = new ExperimentService(other, { artifactsDir: join(ctx.dir, 'artifacts'), leaseMs: 1_500 });
    try {
      const created = await ctx.service.create(moduleConfig('slow.mjs', { budget: { maxTrials: 10, parallelism: 2, trialTimeoutSec: 20 } }), '/');
      await new Promise((r) => setTimeout(r, 1_200));
      await expect(second.resume(created.id)).rejects.toThrow(/being run by another process/);
      expect(await second.resumeInterrupted()).toEqual([]);

      await ctx.service.shutdown(); // the first process dies: its trials stay RUNNING, its heartbeat stops
      await expect(second.resume(created.id)).rejects.toThrow(/being run by another process/);
      await new Promise((r) => setTimeout(r, 1_700));
      expect(await second.resumeInterrupted()).toEqual([created.id]);
      expect((await second.waitFor(created.id)).state).toBe('COMPLETE');
      const trials = (await second.trials(created.id, { sort: 'number', limit: 100 })).items;
      expect(trials.map((t) => t.number)).toEqual(trials.map((_, i) => i + 1));
      expect(trials.filter((t) => !t.interrupted)).toHaveLength(10);
      expect(trials.some((t) => t.interrupted)).toBe(true);
    } finally {
      await second.shutdown();
      await other.close();
      await ctx.close();
    }
  });
});
