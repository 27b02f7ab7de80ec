import { randomUUID } from 'node:crypto';
import { DEFAULT_LEASE_SEC } from '../config/service-settings';
import { ExperimentSpec } from '../config/experiment-spec.types';
import { BadRequestError, ConflictError, NotFoundError, TooManyRequestsError } from '../domain/errors';
import { EventBus } from '../domain/event-bus';
import { ExperimentReads } from './experiment-reads';
import { validateExperiment } from './experiment-validation';
import { BudgetLimits, budgetOverLimits, refuseUserCode, Submission } from './submission-policy';
import { ConfigSource, NetworkInputRules } from './kinds/path-resolvers';
import { kindOf } from './kinds/registry';
import { nativeBindingProbe } from './kinds/tfjs/tfjs.kind';
import { RuntimeProbe } from './kinds/trial-kind.types';
import { checkWarmStart } from './warm-start';
import { membershipProblems } from '../search/space/membership';
import { Params } from '../search/space/space.types';
import { ExecutorFactory } from './pool/trial-executor';
import { machineSlots } from './pool/trial-pool';
import { ExperimentHost } from './scheduler/experiment-host';
import { ExperimentStore } from './ports/experiment-store.port';
import { SuggestFn } from './scheduler/experiment-runner';
import { ExperimentRecord, ExperimentState, TrialRecord } from './trial.types';
import { experimentView, ExperimentView, ParallelismView, trialView, TrialView } from './views';

/** What the experiments use case tells its listeners (the progress bar, the registry, the dashboard). */
export interface ExperimentEvents {
  [name: string]: unknown;
  /** A trial's final state is stored. */
  trialFinished: { trial: TrialRecord; experiment: ExperimentRecord };
  /** An experiment reached a final state; `waitFor` resolves once every listener of this has settled. */
  experimentFinished: { experiment: ExperimentRecord };
  /** A pruner judged a running trial's latest report. */
  pruneDecided: { algorithm: string; pruned: boolean };
}

/** Options of the service: where artifacts go, a clock, the leases, and the parts tests replace. */
export interface ExperimentServiceOptions {
  artifactsDir: string;
  now?: () => number;
  /** After how long without a heartbeat another process may take over a RUNNING experiment (`HPO_LEASE_SEC`). */
  leaseMs?: number;
  /** How long an attempt's lease runs unless renewed; the experiment lease unless given. */
  trialLeaseMs?: number;
  /** The heap bound of a trial whose config says nothing (`HPO_TRIAL_MEMORY_MB`). */
  trialMemoryMb?: number;
  /** What slot rules may ask about this process (tests replace it: no native binding installs here). */
  probe?: RuntimeProbe;
  /** Where trials run: piscina pools of worker threads unless replaced (unit tests run them in process). */
  executors?: ExecutorFactory;
  /** How suggestions are computed: in a worker thread for costly samplers unless replaced. */
  suggest?: SuggestFn;
  /** The operator's ceilings on budgets; none when absent. */
  limits?: BudgetLimits;
  /** Worker slots of this process, shared by every experiment (`HPO_SLOTS` or the cores unless given). */
  machineSlots?: number;
  /** False for a serving replica (`hpo serve --role serving`): it refuses to start or resume experiments. */
  runsExperiments?: boolean;
  /** What configs from the network may name (the operator's roots); without it, they may name no path at all. */
  networkRules?: NetworkInputRules;
  /** How long runners keep trying to store results while the database is away (`HPO_DB_RETRY_SEC`). */
  dbRetryMs?: number;
}

/** What `create` returns: the stored experiment, and anything the submitter should be told. */
export type Created = ExperimentRecord & {
  /** Sentences about what will differ from the config (a parallelism capped by this process's slots). */
  notices: string[];
};

/** A live change of a running experiment's budget, validated like a config's. */
export type BudgetChange = Partial<Pick<ExperimentSpec['budget'], 'maxTrials' | 'parallelism' | 'maxFailedTrials' | 'trialTimeoutSec'>>;

/**
 * The experiments use case shared by REST and the CLI: submit, run in the background on the
 * process's shared slots, watch, change live, cancel, resume, adopt what dead processes left, and
 * rank. Throws domain errors; front doors map them to their medium.
 */
export class ExperimentService extends ExperimentReads {
  private readonly now: () => number;
  /** This process's name as an experiment owner (and trial worker) in the store. */
  readonly owner = randomUUID();
  /** Trial and experiment events, for whoever listens. */
  readonly events = new EventBus<ExperimentEvents>();
  private readonly leaseMs: number;
  /** The experiments this process runs, on its shared slots and pools. */
  readonly host: ExperimentHost;
  private sweeper: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> = Promise.resolve();

  constructor(
    store: ExperimentStore,
    private readonly options: ExperimentServiceOptions,
  ) {
    super(store);
    this.now = options.now ?? Date.now;
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_SEC * 1000;
    this.host = new ExperimentHost({
      store,
      owner: this.owner,
      artifactsDir: options.artifactsDir,
      now: this.now,
      slots: options.machineSlots ?? machineSlots(),
      trialLeaseMs: options.trialLeaseMs ?? this.leaseMs,
      trialMemoryMb: options.trialMemoryMb,
      probe: options.probe ?? nativeBindingProbe,
      executors: options.executors,
      suggest: options.suggest,
      trialFinished: (trial, experiment) => void this.events.emit('trialFinished', { trial, experiment }),
      experimentFinished: (experiment) => this.events.emit('experimentFinished', { experiment }),
      pruneDecided: (algorithm, pruned) => void this.events.emit('pruneDecided', { algorithm, pruned }),
      ...(options.dbRetryMs !== undefined ? { dbRetryMs: options.dbRetryMs } : {}),
    });
  }

  /**
   * Validates a parsed config, stores it and starts it. `source` is a local config file's folder
   * (its owner's freedom), or `{origin: 'network', baseDir}` for a REST body, whose paths, modules
   * and programs are held to the operator's roots. A network `submission` says who submits it: user
   * code needs its admin scope, and its running experiments count against its limit.
   */
  async create(raw: unknown, source: ConfigSource, submission: Submission = {}): Promise<Created> {
    this.requireRunner();
    refuseUserCode(raw, submission);
    if (submission.by !== undefined && submission.maxRunning !== undefined) {
      const running = await this.store.experiments.countRunningBySubmitter(submission.by);
      if (running >= submission.maxRunning)
        throw new TooManyRequestsError(`key ${submission.by} has ${running} experiments running, its limit (HPO_MAX_RUNNING_PER_KEY); cancel one or wait`, 30);
    }
    const spec = validateExperiment(raw, source, this.options.networkRules);
    budgetOverLimits(spec.budget, this.options.limits);
    await checkWarmStart(spec, this.store);
    const dataset = kindOf(spec).datasetLabel?.(spec.trial) ?? null;
    const record = await this.store.experiments.create(spec, dataset, this.owner, this.now());
    if (submission.by !== undefined) {
      await this.store.experiments.setSubmitter(record.id, submission.by);
      record.submittedBy = submission.by;
    }
    this.host.start(record);
    const parallelism = this.parallelismOf(spec);
    const capped = parallelism.cappedBy ? [`parallelism ${parallelism.requested} runs as ${parallelism.effective}: ${parallelism.cappedBy}`] : [];
    return { ...record, notices: [...capped, ...(kindOf(spec).inputNotices?.(spec.trial) ?? [])] };
  }

  private requireRunner(): void {
    if (this.options.runsExperiments === false)
      throw new ConflictError('this process is a serving replica (--role serving): submit and resume experiments on a service that runs them');
  }

  /** How many trials of an experiment this process runs at once, and what capped it (see `ExperimentHost.parallelismOf`). */
  parallelismOf(spec: ExperimentSpec): ParallelismView {
    return this.host.parallelismOf(spec);
  }

  /** Slots for an experiment: see {@link parallelismOf}. */
  slotsFor(spec: ExperimentSpec): number {
    return this.parallelismOf(spec).effective;
  }

  /** Resolves when the experiment stops running in this process; its final record. */
  async waitFor(id: number): Promise<ExperimentRecord> {
    return this.host.waitFor(id) ?? this.require(id);
  }

  /** The id of the newest experiment with this name. */
  async idByName(name: string): Promise<number> {
    const id = await this.store.experiments.newestIdByName(name);
    if (id === undefined) throw new NotFoundError(`no experiment with id or name "${name}"`);
    return id;
  }

  /** An experiment with counts by trial state, its best trial and elapsed time. */
  async get(id: number): Promise<ExperimentView> {
    const record = await this.require(id);
    const [counts, best] = await Promise.all([
      this.store.queries.countsByState(id),
      this.store.queries.leaderboard(id, undefined, record.spec.objective.direction, 1),
    ]);
    return experimentView(record, this.now(), {
      trialCounts: counts,
      bestTrial: best[0] ? trialView(best[0].trial) : null,
      spec: record.spec,
      parallelism: this.parallelismOf(record.spec),
    });
  }

  async list(query: { state?: ExperimentState; limit: number; offset: number }): Promise<{ items: ExperimentView[]; total: number }> {
    const { items, total } = await this.store.experiments.list(query);
    return { items: items.map((e) => experimentView(e, this.now())), total };
  }

  /**
   * Cancels a running experiment. Running trials end FAILED `cancelled` and marked interrupted: they
   * do not count against the budget or `maxFailedTrials`, and a resume runs their parameters again.
   */
  async cancel(id: number): Promise<ExperimentView> {
    const record = await this.require(id);
    const runner = this.host.runner(id);
    if (runner) {
      runner.cancel();
      await this.host.waitFor(id)?.catch(() => undefined);
    } else if (record.state === 'RUNNING') {
      await this.store.trials.interruptRunning(id, this.now());
      await this.store.experiments.finish(id, 'CANCELLED', 'cancelled', this.now());
    } else throw new ConflictError(`experiment ${id} is ${record.state}, not RUNNING`);
    return this.get(id);
  }

  /**
   * Continues an experiment that is not running in this process: trials left RUNNING are marked
   * FAILED `interrupted`, and the parameters of every interrupted trial (by a crash or a cancel)
   * run again as new trials; the budget counts on. `maxTrials` replaces the trial budget and must
   * exceed the trials already counted; without it, an experiment that has used its budget is
   * refused (409). A RUNNING experiment whose owner still renews its heartbeat belongs to that
   * process (409).
   */
  async resume(id: number, changes: { maxTrials?: number } = {}): Promise<ExperimentView> {
    this.requireRunner();
    const record = await this.require(id);
    if (this.host.has(id)) throw new ConflictError(`experiment ${id} is already running`);
    budgetOverLimits(changes, this.options.limits, 'body');
    await this.checkBudgetLeft(record, changes.maxTrials);
    const now = this.now();
    if (!(await this.store.experiments.claim(id, this.owner, now, now - this.leaseMs))) {
      const seconds = record.heartbeatAt === null ? '?' : ((now - record.heartbeatAt) / 1000).toFixed(1);
      throw new ConflictError(
        `experiment ${id} is being run by another process (last heartbeat ${seconds} s ago); if that process is gone, it can be resumed once its heartbeat is ${this.leaseMs / 1000} s old`,
      );
    }
    const spec: ExperimentSpec = changes.maxTrials ? { ...record.spec, budget: { ...record.spec.budget, maxTrials: changes.maxTrials } } : record.spec;
    await this.store.trials.interruptRunning(id, this.now());
    for (const t of await this.store.trials.interruptedWithoutRepeat(id)) {
      await this.store.trials.createWaiting(
        id,
        t.params,
        { id: t.id, number: t.number, reason: 'interrupted', retryNumber: t.retryNumber },
        this.now(),
        t.enqueued,
      );
    }
    if (record.state !== 'RUNNING') await this.store.experiments.reopen(id, spec);
    this.host.start({ ...record, spec, state: 'RUNNING', stopReason: null, finishedAt: null });
    return this.get(id);
  }

  /** Refuses a resume that could run no trial: a new budget at or below what was run, or none left. */
  private async checkBudgetLeft(record: ExperimentRecord, maxTrials: number | undefined): Promise<void> {
    const finished = await this.store.trials.inStates(record.id, ['COMPLETE', 'PRUNED', 'FAILED']);
    const counted = finished.filter((t) => !t.interrupted && !t.retried).length;
    if (maxTrials !== undefined && maxTrials <= counted) {
      throw new ConflictError(`experiment ${record.id} has already run ${counted} trials: a new budget (--max-trials, or maxTrials) must be more than that`);
    }
    // Interrupted trials already queued again (by an earlier resume) are not work left.
    const toRepeat = record.state === 'RUNNING' || (await this.store.trials.interruptedWithoutRepeat(record.id)).length > 0;
    if (maxTrials === undefined && !toRepeat && counted >= record.spec.budget.maxTrials) {
      throw new ConflictError(
        `experiment ${record.id} has run all ${record.spec.budget.maxTrials} trials of its budget: resume it with a larger budget (--max-trials on the command line, maxTrials in a REST body)`,
      );
    }
  }

  /**
   * Adopts every experiment a dead process left RUNNING (its owner silent past the lease, or one
   * that gave it up in a graceful stop) with a compare-and-set claim, so two live processes never
   * run one experiment; its RUNNING trials end FAILED `interrupted` and run again. Resolves to the
   * ids adopted.
   */
  async resumeInterrupted(): Promise<number[]> {
    const resumed: number[] = [];
    for (const e of await this.store.experiments.adoptable(this.now() - this.leaseMs)) {
      if (this.host.has(e.id)) continue;
      try {
        await this.resume(e.id);
        resumed.push(e.id);
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    return resumed;
  }

  /**
   * Sweeps the store every `intervalMs` (a fraction of the lease) for experiments whose owner has
   * gone quiet, and adopts them: recovery after a crash takes at most the lease plus one sweep,
   * without a human. `onAdopted` hears of each adoption.
   */
  startSweeping(intervalMs = Math.max(1_000, Math.floor(this.leaseMs / 3)), onAdopted?: (ids: number[]) => void): void {
    if (this.sweeper) return;
    const sweep = (): void => {
      this.sweeping = this.sweeping
        .then(() => this.sweepOnce())
        .then((ids) => {
          if (ids.length > 0) onAdopted?.(ids);
        })
        .catch((error: Error) => process.emitWarning(`sweep for experiments to adopt failed: ${error.message}`));
    };
    sweep();
    this.sweeper = setInterval(sweep, intervalMs).unref();
  }

  /**
   * One sweep: renews this process's attempt leases, ends its attempts whose leases ran out anyway
   * (FAILED `lost`, retried by policy), and adopts experiments nobody holds. Resolves to the ids adopted.
   */
  async sweepOnce(): Promise<number[]> {
    // Renewed first: attempts this live process runs are never taken for lost after a stall of its
    // event loop; what the sweep finds expired is held by a worker that really stopped renewing.
    await this.host.renewLeases();
    await this.host.loseExpired(this.now());
    return this.resumeInterrupted();
  }

  /** Stops sweeping (process shutdown). */
  async stopSweeping(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    await this.sweeping;
  }

  /**
   * Changes a running experiment's budget: `maxTrials` (more than the trials it has run),
   * `parallelism`, `maxFailedTrials`, `trialTimeoutSec`. The process running it follows within a
   * second, whichever process that is.
   */
  async update(id: number, change: BudgetChange): Promise<ExperimentView> {
    const record = await this.require(id);
    if (record.state !== 'RUNNING')
      throw new ConflictError(`experiment ${id} is ${record.state}: only a RUNNING experiment changes live (resume it with --max-trials instead)`);
    budgetOverLimits(change, this.options.limits, 'body');
    if (change.maxTrials !== undefined) {
      const finished = await this.store.trials.inStates(id, ['COMPLETE', 'PRUNED', 'FAILED']);
      const counted = finished.filter((t) => !t.interrupted && !t.retried).length;
      if (change.maxTrials <= counted) throw new ConflictError(`experiment ${id} has already run ${counted} trials: a new maxTrials must be more than that`);
    }
    const spec: ExperimentSpec = { ...record.spec, budget: { ...record.spec.budget, ...change } };
    if (!(await this.store.experiments.updateSpec(id, spec))) throw new ConflictError(`experiment ${id} stopped meanwhile`);
    return this.get(id);
  }

  /**
   * A graceful stop of this process: it stops sweeping and starting trials, gives running ones
   * `graceMs` to finish, interrupts the rest (FAILED `interrupted`, run again by the adopter), and
   * gives up its experiments' leases so another process adopts them at once.
   */
  async stop(graceMs: number): Promise<number[]> {
    await this.stopSweeping();
    const ids = await this.host.drainAll(graceMs);
    for (const id of ids) await this.store.experiments.release(id, this.owner);
    await this.host.close();
    return ids;
  }

  /**
   * Queues parameters to run next (checked against the space): stored WAITING, they run before
   * new suggestions, now when the experiment runs in this process, else when it is resumed.
   */
  async enqueue(id: number, params: Params): Promise<TrialView> {
    const record = await this.require(id);
    const problems = membershipProblems(record.spec.space, params);
    if (problems.length > 0) throw new BadRequestError(problems.map((message) => ({ path: 'params', message })));
    const trial = await this.store.trials.createWaiting(id, params, null, this.now(), true);
    this.host.runner(id)?.enqueue([trial]);
    return trialView(trial);
  }

  /** Stops every runner without recording anything, so a later start resumes them (a process going away at once). */
  async shutdown(): Promise<void> {
    await this.stopSweeping();
    await this.host.detachAll();
    await this.host.close();
  }
}
