import { StoreUnavailableError } from '../../../src/domain/errors';
import { MemoryStore } from '../../../src/storage/memory/memory-store';
import type { ExperimentStore } from '../../../src/trials/ports/experiment-store.port';
import { backoffDelay, retryStore, STORE_RETRY_FIRST_DELAY_MS, STORE_RETRY_MAX_DELAY_MS } from '../../../src/trials/scheduler/store-retry';
import { fakeServices } from '../../support/fake-service';
import { moduleConfig } from '../../support/service-fixture';
import { tempDir } from '../../support/temp-dir';

const lost = () => new StoreUnavailableError('PostgreSQL cannot be reached: Connection terminated unexpectedly');

describe('backoff', () => {
  it('doubles from the first delay to the cap, with half of each delay random', () => {
    expect(backoffDelay(0, () => 0)).toBe(STORE_RETRY_FIRST_DELAY_MS / 2);
    expect(backoffDelay(0, () => 0.999999)).toBeCloseTo(STORE_RETRY_FIRST_DELAY_MS, 3);
    expect(backoffDelay(3, () => 0)).toBe((STORE_RETRY_FIRST_DELAY_MS * 8) / 2);
    for (const retry of [10, 50, 1_000]) {
      expect(backoffDelay(retry, () => 0.999999)).toBeLessThanOrEqual(STORE_RETRY_MAX_DELAY_MS);
      expect(backoffDelay(retry, () => 0)).toBe(STORE_RETRY_MAX_DELAY_MS / 2);
    }
  });
});

describe('retryStore', () => {
  const clock = () => {
    let t = 0;
    const waits: number[] = [];
    const sleep = async (ms: number): Promise<void> => {
      waits.push(ms);
      t += ms;
    };
    return { now: () => t, sleep, waits, random: () => 0.5 };
  };

  it('tries a write again while the store is away, and returns its answer once it is back', async () => {
    const c = clock();
    let calls = 0;
    const result = await retryStore(
      'a result',
      async () => {
        if (++calls < 4) throw lost();
        return 'stored';
      },
      { patienceMs: 60_000, ...c },
    );
    expect([result, calls, c.waits.length]).toEqual(['stored', 4, 3]);
    expect(c.waits).toEqual([0, 1, 2].map((r) => backoffDelay(r, c.random)));
  });

  it('lets any other error through at once', async () => {
    let calls = 0;
    const write = async () => {
      calls++;
      throw new Error('duplicate key');
    };
    await expect(retryStore('x', write, { patienceMs: 60_000, ...clock() })).rejects.toThrow('duplicate key');
    expect(calls).toBe(1);
  });

  it('gives up with the store error once its patience is spent, and at once when stopped', async () => {
    const c = clock();
    let calls = 0;
    const write = async () => {
      calls++;
      throw lost();
    };
    await expect(retryStore('x', write, { patienceMs: 10_000, ...c })).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(c.now()).toBeLessThanOrEqual(10_000);
    expect(calls).toBeGreaterThan(3);
    calls = 0;
    await expect(retryStore('x', write, { patienceMs: 10_000, ...clock(), stopped: () => true })).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(calls).toBe(1);
  });

  it('does not write twice when the lost answer hid a commit: recover finds the effect and returns it', async () => {
    const rows: string[] = [];
    let calls = 0;
    const write = async () => {
      rows.push('row');
      if (++calls === 1) throw lost(); // committed, then the connection broke before the answer
      return rows.length;
    };
    const got = await retryStore('x', write, { patienceMs: 60_000, ...clock() }, async () => (rows.length > 0 ? rows.length : undefined));
    expect([got, rows.length, calls]).toEqual([1, 1, 1]);
  });
});

type Mode = 'ok' | 'before' | 'after';

/**
 * A store whose writes fail while `on` is set, by a fixed pattern: some before they apply (the
 * connection was refused), some after (they committed, and the answer was lost); some reads fail too.
 */
function flaky(store: MemoryStore, pattern: Mode[]): { store: ExperimentStore; on: boolean; failures: number } {
  const state = { on: false, failures: 0, store: undefined as unknown as ExperimentStore };
  let n = 0;
  const writes = new Set(['createWaiting', 'claim', 'finish', 'saveIntermediate', 'markRetried', 'recordRejections']);
  const wrap = <T extends object>(repo: T, name: string): T =>
    new Proxy(repo, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver) as unknown;
        if (typeof value !== 'function' || typeof key !== 'string') return value;
        return async (...args: unknown[]) => {
          const mode = state.on ? pattern[n++ % pattern.length] : 'ok';
          const isWrite = writes.has(key) || (name === 'experiments' && key === 'finish');
          if (mode === 'before' || (mode === 'after' && !isWrite)) {
            state.failures++;
            throw lost();
          }
          const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          if (mode === 'after') {
            state.failures++;
            throw lost();
          }
          return result;
        };
      },
    });
  state.store = { experiments: wrap(store.experiments, 'experiments'), trials: wrap(store.trials, 'trials'), queries: wrap(store.queries, 'queries') };
  return state;
}

describe('a runner over a database that drops connections', () => {
  const tmp = tempDir('hpo-store-retry-');
  afterAll(() => tmp.cleanup());
  const { open, trialsOf } = fakeServices(tmp.dir, 3);
  // A grid: the same trials whatever the timing, so two runs compare point by point.
  const config = moduleConfig('quadratic.js', {
    space: { x: { type: 'int', low: -6, high: 6 } },
    search: { algorithm: 'grid', seed: 1 },
    budget: { maxTrials: 13, parallelism: 3, trialTimeoutSec: 5, maxFailedTrials: 13, maxRetries: 2 },
  });
  const objective = async (params: Record<string, unknown>, ctx: { report(step: number, m: Record<string, number>): Promise<void> }) => {
    const x = params.x as number;
    for (let step = 1; step <= 3; step++) await ctx.report(step, { loss: x * x + 1 / step });
    // One parameter crashes on its first run: its retry must be stored once too.
    if (x === 2 && !crashed) {
      crashed = true;
      throw Object.assign(new Error('thread died'), { failure: 'crash' });
    }
    return { loss: x * x };
  };
  let crashed = false;

  async function run(pattern: Mode[] | undefined) {
    crashed = false;
    const memory = new MemoryStore();
    const faults = flaky(memory, pattern ?? ['ok']);
    const { service } = open((params, ctx) => objective(params, ctx), { dbRetryMs: 30_000 }, faults.store as MemoryStore);
    const created = await service.create(config, '/');
    faults.on = pattern !== undefined;
    const final = await service.waitFor(created.id);
    faults.on = false;
    const trials = await trialsOf(service, created.id);
    const curves = await Promise.all(trials.map((t) => memory.trials.curve(t.id)));
    const rejections = await Promise.all(trials.map((t) => memory.trials.rejections(t.id)));
    await service.shutdown();
    return { final, trials, curves, rejections, failures: faults.failures };
  }

  it('stores every result, report and retry exactly once, with the values of a run that lost nothing', async () => {
    const clean = await run(undefined);
    // Writes refused before they apply and writes that committed before their answer was lost, among successes.
    const cut = await run(['ok', 'after', 'ok', 'before', 'before', 'ok', 'after', 'ok', 'ok', 'before']);
    expect(cut.failures).toBeGreaterThan(20);
    expect(cut.final).toMatchObject({ state: 'COMPLETE', stopReason: 'maxTrials reached' });
    const essence = (r: typeof clean) =>
      r.trials
        .map((t) => ({ x: t.params.x, state: t.state, value: t.value, retried: t.retried, attempt: t.attempt }))
        .sort((a, b) => (a.x as number) - (b.x as number) || Number(a.retried) - Number(b.retried));
    expect(essence(cut)).toEqual(essence(clean));
    // 13 grid points plus the one crash's retry: no trial twice, none left RUNNING or WAITING.
    expect(cut.trials).toHaveLength(14);
    expect(cut.trials.map((t) => t.number)).toEqual(cut.trials.map((_, i) => i + 1));
    expect(cut.trials.filter((t) => t.state === 'COMPLETE')).toHaveLength(13);
    expect(cut.trials.filter((t) => t.state === 'FAILED').map((t) => [t.params.x, t.failure, t.retried])).toEqual([[2, 'crash', true]]);
    // Each trial's three reports, each once; nothing refused (no attempt lost its trial).
    for (const c of cut.curves) expect(c.map((p) => p.step)).toEqual([1, 2, 3]);
    expect(cut.rejections.flat()).toEqual([]);
  }, 60_000);

  it('lets the error through once its patience is spent: the run stops on it, the experiment stays RUNNING for adoption', async () => {
    const memory = new MemoryStore();
    const faults = flaky(memory, ['before']);
    const { service } = open((params, ctx) => objective(params, ctx), { dbRetryMs: 300 }, faults.store as MemoryStore);
    const warned = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const created = await service.create(config, '/');
      faults.on = true;
      await expect(service.waitFor(created.id)).rejects.toBeInstanceOf(StoreUnavailableError);
      faults.on = false;
      expect((await memory.experiments.get(created.id))!.state).toBe('RUNNING');
      const warnings = warned.mock.calls.map(([w]) => String(w));
      // Said once (not once per try), with what is held and for how long.
      expect(warnings.filter((w) => /cannot be reached: .* is held and written again when it answers \(for up to 0.3 s\)/.test(w))).toHaveLength(1);
      expect(warnings).toContainEqual(expect.stringMatching(/^experiment \d+ stopped on an error: PostgreSQL cannot be reached/));
    } finally {
      warned.mockRestore();
      await service.shutdown();
    }
  });
});
