import { SlotLease, SlotScheduler, SlotsClosedError } from '../../../src/trials/slots/slot-scheduler';

const tick = () => new Promise((r) => setImmediate(r));

describe('the slot scheduler of a process', () => {
  it('never gives out more slots than it has, nor more to an experiment than its cap', async () => {
    const slots = new SlotScheduler(2);
    const a = slots.register({ weight: 1, cap: () => 5 });
    const leases: SlotLease[] = [];
    for (let i = 0; i < 4; i++) void a.acquire().then((l) => leases.push(l));
    await tick();
    expect([leases.length, slots.used, a.held]).toEqual([2, 2, 2]);
    leases[0].release();
    leases[0].release(); // twice is once
    await tick();
    expect([leases.length, slots.used]).toEqual([3, 2]);
    const capped = new SlotScheduler(4).register({ weight: 1, cap: () => 1 });
    let got = 0;
    for (let i = 0; i < 3; i++) void capped.acquire().then(() => got++);
    await tick();
    expect(got).toBe(1);
  });

  it('gives a freed slot to the experiment holding the fewest, so a newcomer starts at the next free slot', async () => {
    const slots = new SlotScheduler(2);
    const busy = slots.register({ weight: 1, cap: () => 2 });
    const held = [await busy.acquire(), await busy.acquire()];
    const queued: string[] = [];
    void busy.acquire().then(() => queued.push('busy'));
    const late = slots.register({ weight: 1, cap: () => 2 });
    void late.acquire().then(() => queued.push('late'));
    await tick();
    expect(queued).toEqual([]);
    held[0].release();
    await tick();
    expect(queued).toEqual(['late']);
  });

  it('shares by weight, and round-robins three experiments at parallelism 2 on two slots', async () => {
    const slots = new SlotScheduler(3);
    const heavy = slots.register({ weight: 2, cap: () => 3 });
    const light = slots.register({ weight: 1, cap: () => 3 });
    for (let i = 0; i < 3; i++) {
      void heavy.acquire();
      void light.acquire();
    }
    await tick();
    expect([heavy.held, light.held]).toEqual([2, 1]);

    // Two slots, three experiments at parallelism 2, all waiting: the slots go round the three.
    const two = new SlotScheduler(2);
    const blocker = two.register({ weight: 1, cap: () => 2 });
    const blocking = [await blocker.acquire(), await blocker.acquire()];
    blocker.close();
    const exps = [0, 1, 2].map(() => two.register({ weight: 1, cap: () => 2 }));
    const granted: number[] = [];
    const running: SlotLease[] = [];
    for (const i of [0, 1, 2]) for (let k = 0; k < 2; k++) void exps[i].acquire().then((l) => (granted.push(i), running.push(l)));
    for (const l of blocking) l.release();
    await tick();
    expect(granted).toEqual([0, 1]);
    running.shift()!.release();
    await tick();
    expect(granted).toEqual([0, 1, 2]); // the third starts before anyone holds two
    running.shift()!.release();
    await tick();
    expect(granted.slice(3)).toEqual([0]);
  });

  it('counts a group limit across experiments (one native-binding trial per process)', async () => {
    const slots = new SlotScheduler(4);
    const group = { name: 'kind:tfjs', limit: 1 };
    const a = slots.register({ weight: 1, cap: () => 4, group });
    const b = slots.register({ weight: 1, cap: () => 4, group });
    const other = slots.register({ weight: 1, cap: () => 4 });
    const first = await a.acquire();
    let bGot = false;
    void b.acquire().then(() => (bGot = true));
    await other.acquire();
    await tick();
    expect(bGot).toBe(false);
    first.release();
    await tick();
    expect(bGot).toBe(true);
  });

  it('follows a cap that grows (a live parallelism change) when poked, and refuses waiters once closed', async () => {
    const slots = new SlotScheduler(4);
    let cap = 1;
    const e = slots.register({ weight: 1, cap: () => cap });
    await e.acquire();
    let second = false;
    void e.acquire().then(() => (second = true));
    await tick();
    expect(second).toBe(false);
    cap = 2;
    slots.poke();
    await tick();
    expect(second).toBe(true);
    const waiting = e.acquire();
    e.close();
    await expect(waiting).rejects.toBeInstanceOf(SlotsClosedError);
    await expect(e.acquire()).rejects.toBeInstanceOf(SlotsClosedError);
  });
});
