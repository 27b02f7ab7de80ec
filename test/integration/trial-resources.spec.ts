import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { moduleConfig, OBJECTIVES, openService } from '../support/service-fixture';
import { until } from '../support/waiting';

/** Processes of this machine whose command line holds `marker`. */
function processesWith(marker: string): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
      } catch {
        return false;
      }
    })
    .map(Number);
}

const trialsOf = async (ctx: Awaited<ReturnType<typeof openService>>, id: number) => (await ctx.service.trials(id, { sort: 'number', limit: 100 })).items;

describe('trials that clean up after themselves, on real worker threads and processes', () => {
  let ctx: Awaited<ReturnType<typeof openService>>;
  beforeEach(async () => (ctx = await openService()));
  afterEach(async () => ctx.close());

  it('ends the whole process group of a command that timed out: none of the children it started is left', async () => {
    const config = {
      ...moduleConfig('quadratic.js', { budget: { maxTrials: 2, parallelism: 2, trialTimeoutSec: 2, maxFailedTrials: 5 } }),
      trial: { kind: 'command', command: ['sh', '-c', 'sleep 471 & sleep 472 & sleep 473; echo never'] },
    };
    const created = await ctx.service.create(config, '/');
    // They did start (polled: on a busy machine the trials start late, and live for the timeout only).
    await until(() => (processesWith('sleep 47').length > 0 ? true : undefined), 20_000, 'the sleeps to start', 20);
    await ctx.service.waitFor(created.id);
    expect((await trialsOf(ctx, created.id)).map((t) => [t.state, t.failure])).toEqual([
      ['FAILED', 'timeout'],
      ['FAILED', 'timeout'],
    ]);
    await new Promise((r) => setTimeout(r, 200));
    expect(processesWith('sleep 47')).toEqual([]);
  });

  it("ends a command's children when it succeeds too, and holds its processes to the memory bound", async () => {
    const leftBehind = {
      ...moduleConfig('quadratic.js', { budget: { maxTrials: 1 } }),
      trial: { kind: 'command', command: ['sh', '-c', '(sleep 481 &) ; echo \'hpo: {"loss": 1}\''] },
    };
    expect((await ctx.service.waitFor((await ctx.service.create(leftBehind, '/')).id)).state).toBe('COMPLETE');
    await new Promise((r) => setTimeout(r, 200));
    expect(processesWith('sleep 481')).toEqual([]);

    const hungry = {
      ...moduleConfig('quadratic.js', { budget: { maxTrials: 1, trialTimeoutSec: 30 } }),
      trial: {
        kind: 'command',
        command: [process.execPath, '-e', 'const a = []; setInterval(() => a.push(Buffer.alloc(8e6, 1)), 10)'],
        resources: { memoryMb: 96 },
      },
    };
    const created = await ctx.service.create(hungry, '/');
    await ctx.service.waitFor(created.id);
    const [t] = await trialsOf(ctx, created.id);
    expect([t.state, t.failure]).toEqual(['FAILED', 'oom']);
    expect(t.error).toMatch(/^out of memory: the command's processes reached \d+ MB, past the trial's 96 MB bound/);
  });

  it('fails a module trial that allocates without end at its memory bound, reuses the slot, and the service stays under the bound plus a margin', async () => {
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    try {
      const config = moduleConfig('allocates.js', {
        space: { x: { type: 'categorical', values: [1, -1] } },
        search: { algorithm: 'grid' },
        budget: { maxTrials: 2, parallelism: 1, trialTimeoutSec: 60, maxFailedTrials: 5 },
        trial: { kind: 'module', module: join(OBJECTIVES, 'allocates.js'), resources: { memoryMb: 128 } },
      });
      const created = await ctx.service.create(config, '/');
      expect(await ctx.service.waitFor(created.id)).toMatchObject({ state: 'COMPLETE' });
      const trials = await trialsOf(ctx, created.id);
      expect(trials.map((t) => [t.params.x, t.state, t.failure])).toEqual([
        [1, 'FAILED', 'oom'],
        [-1, 'COMPLETE', null],
      ]);
      expect(trials[0].error).toBe('out of memory: the trial went past its 128 MB bound');
    } finally {
      clearInterval(sampler);
    }
    expect((peak - before) / 1024 / 1024).toBeLessThan(128 + 256);
  });
});
