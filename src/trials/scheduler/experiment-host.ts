import { ExperimentSpec } from '../../config/experiment-spec.types';
import { kindOf } from '../kinds/registry';
import { RuntimeProbe } from '../kinds/trial-kind.types';
import { ExecutorFactory, TrialExecutor } from '../pool/trial-executor';
import { DEFAULT_TRIAL_MEMORY_MB, TrialPool } from '../pool/trial-pool';
import { ExperimentStore } from '../ports/experiment-store.port';
import { SlotScheduler } from '../slots/slot-scheduler';
import { ExperimentRecord, TrialRecord } from '../trial.types';
import { ParallelismView } from '../views';
import { ExperimentRunner, STATE_CHECK_MS, SuggestFn } from './experiment-runner';
import { DEFAULT_STORE_RETRY_SEC, StoreRetryOptions } from './store-retry';

/** A lost database is said at most once in this many ms (its writes are tried many times a second at first). */
export const STORE_WARNING_INTERVAL_MS = 30_000;

/** What the host needs: the store, this process's owner id, where artifacts go, and the parts tests replace. */
export interface HostOptions {
  store: ExperimentStore;
  owner: string;
  artifactsDir: string;
  now: () => number;
  /** Worker slots of this process, shared by every experiment it runs. */
  slots: number;
  /** How long an attempt's lease runs unless renewed (the host renews its attempts' leases every second). */
  trialLeaseMs: number;
  /** The heap bound of a trial whose config says nothing. */
  trialMemoryMb?: number;
  probe: RuntimeProbe;
  executors?: ExecutorFactory;
  suggest?: SuggestFn;
  /** Told each pruner decision of every runner. */
  pruneDecided?: (algorithm: string, pruned: boolean) => void;
  trialFinished: (trial: TrialRecord, experiment: ExperimentRecord) => void;
  /** How long runners keep trying to store results, reports and claims while the database cannot be reached. */
  dbRetryMs?: number;
  experimentFinished: (experiment: ExperimentRecord) => Promise<void>;
}

interface Active {
  runner: ExperimentRunner;
  done: Promise<ExperimentRecord>;
}

interface SharedExecutor {
  executor: TrialExecutor;
  users: number;
}

/**
 * The experiments this process runs, on one slot scheduler and shared worker pools: every
 * experiment's trials take turns in the same slots (fairly, by priority), and trials with the same
 * memory bound share one pool of threads. It renews the leases of the attempts it runs, and stops
 * its runners gracefully or at once.
 */
export class ExperimentHost {
  private readonly active = new Map<number, Active>();
  readonly slots: SlotScheduler;
  private readonly executors = new Map<number, SharedExecutor>();
  private renewal: NodeJS.Timeout | undefined;
  private readonly storeRetry: Omit<StoreRetryOptions, 'stopped'>;

  constructor(private readonly options: HostOptions) {
    this.slots = new SlotScheduler(options.slots);
    const patienceMs = options.dbRetryMs ?? DEFAULT_STORE_RETRY_SEC * 1000;
    let saidAt = -Infinity;
    this.storeRetry = {
      patienceMs,
      onRetry: (what, error) => {
        if (Date.now() - saidAt < STORE_WARNING_INTERVAL_MS) return;
        saidAt = Date.now();
        process.emitWarning(`${error.message}: ${what} is held and written again when it answers (for up to ${patienceMs / 1000} s)`);
      },
    };
  }

  /** Whether this process runs the experiment now. */
  has(id: number): boolean {
    return this.active.has(id);
  }

  /** The ids of the experiments this process runs now. */
  ids(): number[] {
    return [...this.active.keys()];
  }

  /**
   * How many trials of an experiment this process runs at once: its parallelism, capped by the
   * process's slots and by its trial kind's slot rule (one for tfjs trials when a native binding is
   * installed: it loads in one worker thread per process, tfjs #8388, #2079).
   */
  parallelismOf(spec: ExperimentSpec): ParallelismView {
    const machine = this.options.slots;
    const kindCap = kindOf(spec).slotCap?.(this.options.probe);
    const requested = spec.budget.parallelism;
    if (kindCap !== undefined && kindCap < Math.min(requested, machine)) {
      return {
        requested,
        effective: Math.max(1, kindCap),
        cappedBy: `${spec.trial.kind} trials run ${kindCap} at a time per process here (a native TensorFlow.js binding loads in one thread only)`,
      };
    }
    if (machine < requested) return { requested, effective: machine, cappedBy: `this process has ${machine} worker slots (the CPU cores, or HPO_SLOTS)` };
    return { requested, effective: requested };
  }

  /** Starts running an experiment this process has claimed; resolves (through `waitFor`) with its record when it stops here. */
  start(record: ExperimentRecord): void {
    const memoryMb = record.spec.trial.resources?.memoryMb ?? this.options.trialMemoryMb ?? DEFAULT_TRIAL_MEMORY_MB;
    const pool = this.executorFor(memoryMb);
    const kind = kindOf(record.spec);
    const kindCap = kind.slotCap?.(this.options.probe);
    const holder: { runner?: ExperimentRunner } = {};
    const cap = () => this.parallelismOf(holder.runner?.currentSpec ?? record.spec).effective;
    const slots = this.slots.register({
      weight: record.spec.budget.priority ?? 1,
      cap,
      ...(kindCap !== undefined ? { group: { name: `kind:${kind.name}`, limit: kindCap } } : {}),
    });
    const runner = new ExperimentRunner(record, {
      store: this.options.store,
      slots,
      cap,
      pool: pool.executor,
      owner: this.options.owner,
      artifactsRoot: this.options.artifactsDir,
      now: this.options.now,
      trialLeaseMs: this.options.trialLeaseMs,
      suggest: this.options.suggest,
      trialFinished: (trial) => this.options.trialFinished(trial, record),
      pruneDecided: this.options.pruneDecided,
      specChanged: () => this.slots.poke(),
      storeRetry: this.storeRetry,
    });
    holder.runner = runner;
    const done = runner.run().then(async (final) => {
      // Still RUNNING: detached or drained, for whoever adopts it next.
      if (final.state !== 'RUNNING') await this.options.experimentFinished(final);
      return final;
    });
    this.active.set(record.id, { runner, done });
    void this.renewLeases();
    void done
      .finally(() => {
        this.active.delete(record.id);
        this.releaseExecutor(memoryMb);
        if (this.active.size === 0) this.stopRenewal();
      })
      .catch(() => undefined);
    done.catch((error: Error) => process.emitWarning(`experiment ${record.id} stopped on an error: ${error.message}`));
  }

  /** Resolves when the experiment stops running here; undefined when it does not run here. */
  waitFor(id: number): Promise<ExperimentRecord> | undefined {
    return this.active.get(id)?.done;
  }

  /** The runner of an experiment that runs here. */
  runner(id: number): ExperimentRunner | undefined {
    return this.active.get(id)?.runner;
  }

  /** Stops every runner without recording anything more (trials stay RUNNING for whoever adopts them). */
  async detachAll(): Promise<void> {
    const entries = [...this.active.values()];
    for (const a of entries) a.runner.detach();
    await Promise.all(entries.map((a) => a.done.catch(() => undefined)));
  }

  /**
   * A graceful stop of every runner: no new trials, `graceMs` for running ones to finish, then
   * they are interrupted; each experiment is left RUNNING. Resolves to their ids, for their leases to be released.
   */
  async drainAll(graceMs: number): Promise<number[]> {
    const entries = [...this.active.entries()];
    await Promise.all(entries.map(([, a]) => a.runner.drain(graceMs)));
    await Promise.all(entries.map(([, a]) => a.done.catch(() => undefined)));
    return entries.map(([id]) => id);
  }

  /**
   * Ends the attempts of experiments this process runs whose lease ran out before `now` (a worker
   * that stopped renewing), through their runners; resolves to how many.
   */
  async loseExpired(now: number): Promise<number> {
    let lost = 0;
    for (const t of await this.options.store.trials.expiredLeases(now)) {
      const runner = this.active.get(t.experimentId)?.runner;
      if (runner && (await runner.lose(t.id, t.attempt))) lost++;
    }
    return lost;
  }

  /**
   * Extends the leases of every attempt this process runs, now and once a second while it runs
   * any; resolves when the first renewal is written.
   */
  async renewLeases(): Promise<void> {
    const renew = () =>
      this.options.store.trials
        .renewLeases(this.options.owner, this.options.now() + this.options.trialLeaseMs)
        .then(() => undefined)
        .catch(() => undefined);
    if (!this.renewal && this.active.size > 0) this.renewal = setInterval(() => void renew(), STATE_CHECK_MS).unref();
    await renew();
  }

  private stopRenewal(): void {
    if (this.renewal) clearInterval(this.renewal);
    this.renewal = undefined;
  }

  private executorFor(memoryMb: number): SharedExecutor {
    let shared = this.executors.get(memoryMb);
    if (!shared) {
      const executor = this.options.executors ? this.options.executors(this.options.slots, memoryMb) : new TrialPool(this.options.slots, memoryMb);
      shared = { executor, users: 0 };
      this.executors.set(memoryMb, shared);
    }
    shared.users++;
    return shared;
  }

  private releaseExecutor(memoryMb: number): void {
    const shared = this.executors.get(memoryMb);
    if (!shared || --shared.users > 0) return;
    this.executors.delete(memoryMb);
    void shared.executor.destroy().catch(() => undefined);
  }

  /** Stops the lease renewal and the pools (the process is going away). */
  async close(): Promise<void> {
    this.stopRenewal();
    const all = [...this.executors.values()];
    this.executors.clear();
    await Promise.all(all.map((s) => s.executor.destroy().catch(() => undefined)));
  }
}
