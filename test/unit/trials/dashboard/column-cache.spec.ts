import { MemoryStore } from '../../../../src/storage/memory/memory-store';
import { ColumnCache, REFRESH_MS } from '../../../../src/trials/dashboard/column-cache';
import { completeResult, sampleSpec } from '../../../support/sample-spec';

const complete = completeResult;

/** An experiment of `n` trials: all complete but the last two, of which one runs and one waits. */
async function experimentOf(store: MemoryStore, n: number, at: number) {
  const exp = await store.experiments.create(sampleSpec(), null, 'elsewhere', at);
  const ids: number[] = [];
  for (let i = 1; i <= n; i++) {
    const t = await store.trials.createWaiting(exp.id, { x: i, k: 1 }, null, at + i);
    ids.push(t.id);
    if (i === n) continue;
    await store.trials.claim(t.id, null, 'w', 99_999_999, at + i);
    if (i < n - 1) await store.trials.finish(t.id, 1, exp.id, complete(i), at + i + 1);
  }
  return { id: exp.id, ids };
}

describe("the dashboard's column cache", () => {
  it('reads an experiment in chunks, and a trial that changes or appears while it reads is in the next refresh', async () => {
    const store = new MemoryStore();
    const clock = { now: 10_000 };
    const exp = await experimentOf(store, 25, 1000);
    const cache = new ColumnCache(store, () => clock.now, { chunk: 10, readAheadMinTrials: 1 });
    const calls: number[] = [];
    const read = store.queries.trialsAfter.bind(store.queries);
    store.queries.trialsAfter = async (id, after, limit) => {
      calls.push(after);
      const rows = await read(id, after, limit);
      if (after === 20) {
        // Right after the last chunk was read (trial 24 in it as RUNNING), another process finishes trial 24 and adds a trial 26.
        clock.now += 5;
        await store.trials.finish(exp.ids[23], 1, exp.id, complete(-1), clock.now);
        await store.trials.createWaiting(exp.id, { x: 26, k: 1 }, null, clock.now);
      }
      return rows;
    };
    const first = await cache.get(exp.id);
    expect(calls).toEqual([0, 10, 20]);
    expect(first.columns.size).toBe(25);
    expect(first.columns.stateAt(23)).toBe('RUNNING');
    clock.now += REFRESH_MS;
    const again = await cache.get(exp.id);
    expect(again.columns.stateAt(23)).toBe('COMPLETE');
    expect(again.columns.values[23]).toBe(-1);
    expect(again.columns.stateAt(25)).toBe('WAITING');
    expect(calls).toHaveLength(3); // refreshes read only what changed
  });

  it('reads ahead the newest large experiments only, and stops when closed', async () => {
    const store = new MemoryStore();
    const small = await experimentOf(store, 3, 1000);
    const large = await experimentOf(store, 30, 2000);
    const newest = await experimentOf(store, 4, 3000);
    const cache = new ColumnCache(store, () => 10_000, { chunk: 8, readAheadMinTrials: 10 });
    const warmed: number[] = [];
    await cache.readAhead(async (id) => warmed.push(id));
    expect(warmed).toEqual([large.id]);
    expect(cache.peek(large.id)?.columns.size).toBe(30);
    expect(cache.peek(small.id)).toBeUndefined();
    expect(cache.peek(newest.id)).toBeUndefined();
    await cache.close();
    const closed = new ColumnCache(store, () => 10_000, { chunk: 8, readAheadMinTrials: 10 });
    await closed.close();
    await closed.readAhead();
    expect(closed.peek(large.id)).toBeUndefined();
    await expect(closed.get(large.id)).rejects.toThrow(/closed/);
  });
});
