/** A limit shared by several experiments' trials (one trial at a time of a native tfjs binding per process). */
export interface SlotGroup {
  name: string;
  limit: number;
}

/** How one experiment asks for slots. */
export interface SlotClaimant {
  /** Its share against others: an experiment of weight 2 gets about twice the slots of one of weight 1. */
  weight: number;
  /** The most slots it may hold at once (its parallelism); read at every grant, so a live change applies at once. */
  cap(): number;
  /** A group whose limit its trials count against too. */
  group?: SlotGroup;
}

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}

interface Member {
  id: number;
  claimant: SlotClaimant;
  held: number;
  waiters: Waiter[];
  closed: boolean;
  /** When it was last given a slot (0: never), for ties. */
  lastGrant: number;
}

/** A slot given to an experiment; `release` hands it back (once). */
export interface SlotLease {
  release(): void;
}

/** An experiment's handle on the process's slots. */
export interface ExperimentSlots {
  /** Resolves with a slot once the scheduler gives one to this experiment; rejects if the handle is closed first. */
  acquire(): Promise<SlotLease>;
  /** How many slots it holds now. */
  readonly held: number;
  /** Stops waiting (pending `acquire` calls reject); slots already held stay held until released. */
  close(): void;
}

/** Why an `acquire` ended without a slot. */
export class SlotsClosedError extends Error {}

/**
 * The worker slots of one process, shared fairly by every running experiment: the process never
 * runs more trials than it has slots, each experiment at most its parallelism, and a freed slot goes
 * to the waiting experiment with the fewest slots for its weight (ties to the one served least recently),
 * so a new experiment starts its first trial as soon as any trial ends, however many slots another holds.
 */
export class SlotScheduler {
  private readonly members = new Map<number, Member>();
  private inUse = 0;
  private readonly groupsInUse = new Map<string, number>();
  private sequence = 0;
  private ticket = 0;

  constructor(readonly capacity: number) {}

  /** Slots given out now, over every experiment. */
  get used(): number {
    return this.inUse;
  }

  /** Trials waiting for a slot now, over every experiment (the local queue's depth). */
  get waiting(): number {
    let n = 0;
    for (const m of this.members.values()) n += m.waiters.length;
    return n;
  }

  /** Adds an experiment; its handle asks for and gives back slots. */
  register(claimant: SlotClaimant): ExperimentSlots {
    const member: Member = { id: ++this.sequence, claimant, held: 0, waiters: [], closed: false, lastGrant: 0 };
    this.members.set(member.id, member);
    return {
      acquire: () =>
        new Promise<SlotLease>((resolve, reject) => {
          if (member.closed) return reject(new SlotsClosedError('closed'));
          member.waiters.push({ resolve: () => resolve(this.lease(member)), reject });
          this.grant();
        }),
      get held() {
        return member.held;
      },
      close: () => {
        member.closed = true;
        for (const w of member.waiters.splice(0)) w.reject(new SlotsClosedError('closed'));
        if (member.held === 0) this.members.delete(member.id);
        this.grant();
      },
    };
  }

  /** Re-runs the grants (after a claimant's cap grew, say). */
  poke(): void {
    this.grant();
  }

  private lease(member: Member): SlotLease {
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        member.held--;
        this.inUse--;
        const group = member.claimant.group;
        if (group) this.groupsInUse.set(group.name, (this.groupsInUse.get(group.name) ?? 1) - 1);
        if (member.closed && member.held === 0) this.members.delete(member.id);
        this.grant();
      },
    };
  }

  private eligible(member: Member): boolean {
    if (member.waiters.length === 0 || member.held >= Math.max(0, member.claimant.cap())) return false;
    const group = member.claimant.group;
    return !group || (this.groupsInUse.get(group.name) ?? 0) < group.limit;
  }

  /** Gives free slots to waiting experiments, fewest slots per weight first. */
  private grant(): void {
    while (this.inUse < this.capacity) {
      let best: Member | undefined;
      for (const m of this.members.values()) {
        if (!this.eligible(m)) continue;
        if (!best) best = m;
        else {
          const share = m.held / m.claimant.weight - best.held / best.claimant.weight;
          if (share < 0 || (share === 0 && m.lastGrant < best.lastGrant)) best = m;
        }
      }
      if (!best) return;
      const waiter = best.waiters.shift()!;
      best.held++;
      best.lastGrant = ++this.ticket;
      this.inUse++;
      const group = best.claimant.group;
      if (group) this.groupsInUse.set(group.name, (this.groupsInUse.get(group.name) ?? 0) + 1);
      waiter.resolve();
    }
  }
}
