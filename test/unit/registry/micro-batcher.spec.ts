import { MicroBatcher } from '../../../src/registry/micro-batcher';

describe('micro-batcher', () => {
  it('answers concurrent requests from one call, each with its own rows in order', async () => {
    const calls: number[][] = [];
    const batcher = new MicroBatcher<number, number>((rows) => {
      calls.push([...rows]);
      return rows.map((r) => r * 10);
    }, 100);
    const out = await Promise.all([batcher.submit([1]), batcher.submit([2, 3]), batcher.submit([4])]);
    expect(out).toEqual([[10], [20, 30], [40]]);
    expect(calls).toEqual([[1, 2, 3, 4]]);
  });

  it('splits a flush at the row limit', async () => {
    const sizes: number[] = [];
    const batcher = new MicroBatcher<number, number>((rows) => (sizes.push(rows.length), [...rows]), 3);
    await Promise.all([batcher.submit([1, 2]), batcher.submit([3, 4]), batcher.submit([5])]);
    expect(sizes).toEqual([2, 3]);
  });

  it('fails only the request whose rows the model rejects', async () => {
    const batcher = new MicroBatcher<number, number>((rows) => {
      if (rows.includes(-1)) throw new Error('bad row');
      return [...rows];
    }, 100);
    const [good, bad] = await Promise.allSettled([batcher.submit([1]), batcher.submit([-1])]);
    expect(good).toEqual({ status: 'fulfilled', value: [1] });
    expect(bad).toMatchObject({ status: 'rejected', reason: new Error('bad row') });
  });
});
