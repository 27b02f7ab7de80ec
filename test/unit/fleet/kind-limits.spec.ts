import { KindLimits } from '../../../src/fleet/kind-limits';

describe("a worker's per-process limits of trial kinds", () => {
  it('runs one tfjs trial at a time where a native binding loads, and modules without a limit', async () => {
    const limits = new KindLimits({ nativeTfjsBinding: () => true });
    const first = await limits.acquire('tfjs');
    let second = false;
    const waiting = limits.acquire('tfjs').then((release) => ((second = true), release));
    const modules = await Promise.all([limits.acquire('module'), limits.acquire('module')]);
    await new Promise((r) => setImmediate(r));
    expect(second).toBe(false);
    first();
    (await waiting)();
    expect(second).toBe(true);
    modules.forEach((release) => release());
  });

  it('puts no limit on tfjs trials without a native binding (one wasm thread per trial)', async () => {
    const limits = new KindLimits({ nativeTfjsBinding: () => false });
    const all = await Promise.all([limits.acquire('tfjs'), limits.acquire('tfjs'), limits.acquire('tfjs')]);
    expect(all).toHaveLength(3);
  });
});
