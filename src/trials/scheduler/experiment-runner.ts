import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ExperimentSpec } from '../../config/experiment-spec.types';
import { HistoryTrial, StepValue } from '../../search/history.types';
import { PeerTrial } from '../../search/pruners/pruner.types';
import { findPruner } from '../../search/pruners/registry';
import { findSampler } from '../../search/samplers/registry';
import { Params } from '../../search/space/space.types';
import type { PoolRunResult, TrialExecutor } from '../pool/trial-executor';
import { INTERRUPT_REASON } from '../pool/trial-executor';
import type { ExperimentStore } from '../ports/experiment-store.port';
import { SlotLease, SlotsClosedError, type ExperimentSlots } from '../slots/slot-scheduler';
import { ExperimentRecord, IntermediateReport, TrialRecord } from '../trial.types';
import { toTrialResult } from './outcome';
import { warmStartHistory } from '../warm-start';
import { constraintViolation, objectiveValues, objectivesOf, paretoDirections } from '../objective-values';
import { ReportBuffer } from './report-buffer';
import { retryDecision } from './retry-policy';
import { DEFAULT_STORE_RETRY_SEC, StoreRetryOptions } from './store-retry';
import { TrialWrites } from './trial-writes';
import type { SuggestTask } from './suggest-task';
import { suggestParams } from './suggestion-source';
import { trialSeed } from './trial-seed';

/** How often the runner renews its experiment's heartbeat and reads its stored state (a cancel or a budget change made elsewhere). */
export const STATE_CHECK_MS = 1_000;

/** The stop reason of a run that reached `maxFailedTrials`; the stored reason adds the final count. */
const MAX_FAILED = 'maxFailedTrials reached';

/** Asks a sampler for suggestions (in a worker thread for costly ones); tests pass the pure call. */
export type SuggestFn = (task: SuggestTask) => Promise<Params[]>;

/** What the runner needs from outside: the store, slots, where trials run, where artifacts go, a clock. */
export interface RunnerDeps {
  store: ExperimentStore;
  /** This experiment's share of the process's slots. */
  slots: ExperimentSlots;
  /** How many of its trials may be on their way at once now: its parallelism as this process can run it (read often: it follows live changes). */
  cap: () => number;
  pool: TrialExecutor;
  /** This process's owner id: it holds the experiment and the attempts it runs, under leases renewed by the service. */
  owner: string;
  artifactsRoot: string;
  now: () => number;
  /** How long an attempt's lease runs from its claim; the service renews it while the attempt runs. */
  trialLeaseMs: number;
  /** Called after each trial's final state is stored (the service turns it into a `trialFinished` event). */
  trialFinished?: (trial: TrialRecord) => void;
  /** Called when the experiment's budget changed in the store (a live change): the slots grant again. */
  specChanged?: (spec: ExperimentSpec) => void;
  /** Defaults to {@link suggestParams}. */
  suggest?: SuggestFn;
  /** Told each pruner decision (metrics count them). */
  pruneDecided?: (algorithm: string, pruned: boolean) => void;
  /**
   * How results, reports and the trials' own records are written again while the database is away
   * (default: {@link DEFAULT_STORE_RETRY_SEC} of patience); `stopped` is the runner's own.
   */
  storeRetry?: Omit<StoreRetryOptions, 'stopped'>;
}

/** A trial on its way: suggested or queued, then waiting for a slot, then running. */
interface InFlight {
  params: Params;
  /** The stored trial, once there is one (a queued repeat has one from the start). */
  trial?: TrialRecord;
  attempt: number;
  curve: StepValue[];
  lastStep: number | null;
  /** Aborts this attempt alone (it lost its trial) as well as with the runner. */
  abort: AbortController;
  /** Set when its lease ran out and the trial was recorded lost: what it sends afterwards is refused. */
  lost: boolean;
  done: Promise<void>;
}

/** How the loop ended. */
type Stop = { state: 'COMPLETE' | 'FAILED' | 'CANCELLED'; reason: string } | { state: 'DRAINED' };

/**
 * The ask/tell loop of one experiment: asks the sampler for as many trials as its parallelism
 * allows, runs each when the process's slot scheduler gives it a slot, records every result before
 * acting on it, retries failures the policy names, and stops at the budget, when the space is
 * exhausted, at `maxFailedTrials`, or on cancel. Every report and result carries its attempt and
 * is refused (and logged) when that attempt no longer holds its trial. All state it keeps is
 * derivable from the store, so a new runner over the same experiment continues where it left off.
 */
export class ExperimentRunner {
  readonly history: HistoryTrial[] = [];
  private readonly inFlight = new Set<InFlight>();
  private queue: TrialRecord[] = [];
  private readonly cancel$ = new AbortController();
  /** Set by {@link wake} until the loop sees it, so a wake while the loop is busy is not lost. */
  private wakePending = false;
  private resolveSleep: (() => void) | undefined;
  /** An error a trial's bookkeeping threw (a store that went away): the loop rethrows it. */
  private broken: { error: unknown } | undefined;
  private readonly reports: ReportBuffer;
  /** The writes that must survive a short loss of the database, each safe to try again. */
  private readonly writes: TrialWrites;
  private spec: ExperimentSpec;
  /** Finished trials that count against the budget (not interrupted, not retried). */
  private counted = 0;
  private failedCount = 0;
  /** Whether any counted trial gave a result (one that did not fail). */
  private anyResult = false;
  private detached: false | 'shutdown' | 'lost' = false;
  private draining = false;

  constructor(
    readonly experiment: ExperimentRecord,
    private readonly deps: RunnerDeps,
  ) {
    this.spec = experiment.spec;
    // A runner detached for shutdown stops trying at once: nothing more is recorded by it anyway.
    this.writes = new TrialWrites(deps.store, experiment.id, {
      ...(deps.storeRetry ?? { patienceMs: DEFAULT_STORE_RETRY_SEC * 1000 }),
      stopped: () => this.detached === 'shutdown',
    });
    this.reports = new ReportBuffer((batch) => this.saveReports(batch));
    // Cancelling reaches each running attempt through its own controller: a signal combined per
    // trial (AbortSignal.any) would leave one entry per trial on this long-lived signal.
    this.cancel$.signal.addEventListener(
      'abort',
      () => {
        for (const entry of this.inFlight) entry.abort.abort(this.cancel$.signal.reason);
        this.wake();
      },
      { once: true },
    );
  }

  /** Queues trials stored WAITING by a user (`POST …/trials`, `hpo enqueue`) to run next, after repeats already queued. */
  enqueue(trials: readonly TrialRecord[]): void {
    this.queue.push(...trials);
    this.wake();
  }

  /** Stops the experiment: running trials are aborted and recorded FAILED `cancelled`, interrupted (run again on resume). */
  cancel(): void {
    this.cancel$.abort();
  }

  /**
   * Stops without finishing the experiment. `shutdown` (a process that goes away at once): nothing
   * more is recorded, trials still running stay RUNNING for whoever adopts the experiment. `lost`
   * (another process adopted it): running attempts are stopped, and what they still send is offered
   * to the store, which refuses it (their trials are no longer theirs) and logs the refusal.
   */
  detach(reason: 'shutdown' | 'lost' = 'shutdown'): void {
    this.detached = reason;
    this.cancel$.abort();
  }

  /**
   * A graceful stop: no new trials; running ones get `graceMs` to finish, then are interrupted
   * (recorded FAILED `interrupted`, run again by whoever adopts the experiment). Resolves when they
   * have settled; the run then ends with the experiment still RUNNING, for its lease to be released.
   */
  async drain(graceMs: number): Promise<void> {
    this.draining = true;
    this.wake();
    const settled = Promise.all([...this.inFlight].map((f) => f.done));
    const timer = setTimeout(() => this.cancel$.abort(INTERRUPT_REASON), graceMs);
    await settled;
    clearTimeout(timer);
  }

  /** The experiment's spec as the runner follows it (a live budget change included). */
  get currentSpec(): ExperimentSpec {
    return this.spec;
  }

  get cancelled(): boolean {
    return this.cancel$.signal.aborted && !this.draining;
  }

  /** Runs to the end; resolves with the experiment's final record (still RUNNING after a detach or a drain). */
  async run(): Promise<ExperimentRecord> {
    await this.loadState();
    const watch = this.watchStoredState();
    let stop: Stop;
    try {
      stop = await this.loop();
    } catch (error) {
      // A store that failed under the loop: the trials already running still end here (their
      // threads belong to a pool that closes with the run), then the run fails, and the experiment,
      // still RUNNING, is adopted after its lease like any other whose owner stopped.
      clearInterval(watch);
      this.deps.slots.close();
      await Promise.all([...this.inFlight].map((f) => f.done));
      await this.reports.flush().catch(() => undefined);
      throw error;
    }
    clearInterval(watch);
    this.deps.slots.close(); // what still waits for a slot gives up: suggestions are dropped, queued rows stay WAITING
    await Promise.all([...this.inFlight].map((f) => f.done));
    await this.reports.flush();
    const { experiments } = this.deps.store;
    const id = this.experiment.id;
    const read = (): Promise<ExperimentRecord> => this.stored('the experiment', async () => (await experiments.get(id))!);
    if (this.detached || stop.state === 'DRAINED') return read();
    // Said once the running trials have settled, so the count matches what is stored.
    const reason =
      stop.reason === MAX_FAILED
        ? `maxFailedTrials reached (${this.failedCount} trials failed, the limit is ${this.spec.budget.maxFailedTrials})`
        : stop.reason;
    // A compare-and-set from RUNNING: a try that committed before its answer was lost changes nothing the second time.
    const at = this.deps.now();
    await this.stored("the experiment's end", () => experiments.finish(id, stop.state, reason, at));
    return read();
  }

  /** A store read the run cannot go on without, tried again while the database is briefly away. */
  private stored<T>(what: string, read: () => Promise<T>): Promise<T> {
    return this.writes.stored(what, read);
  }

  /** The ids of the trials this runner holds (running, or queued to run). */
  private knownIds(): Set<number> {
    return new Set(
      [...this.inFlight]
        .map((f) => f.trial?.id)
        .filter((id): id is number => id !== undefined)
        .concat(this.queue.map((t) => t.id)),
    );
  }

  private async loadState(): Promise<void> {
    const { trials } = this.deps.store;
    // A warm start's trials come first, as the oldest history; they count neither against the budget nor as results.
    const id = this.experiment.id;
    if (this.keepsHistory) this.history.push(...(await this.stored('the warm start', () => warmStartHistory(this.spec, this.deps.store))));
    const finished = await this.stored('the finished trials', () => trials.inStates(id, ['COMPLETE', 'PRUNED', 'FAILED']));
    const curves = this.keepsCurves
      ? await this.stored('the learning curves', () => trials.metricCurves(id, this.spec.objective.metric))
      : new Map<number, StepValue[]>();
    for (const t of finished.filter((x) => !x.interrupted && !x.retried)) this.remember(t, curves.get(t.id) ?? []);
    this.queue = await this.stored('the queued trials', () => trials.inStates(id, ['WAITING']));
  }

  /**
   * Counts a finished trial, and keeps what the sampler and the pruner read of it: nothing for a
   * sampler that reads no history and a pruner that reads no peers, so memory stays flat however
   * many trials run; its intermediate values only for a pruner that reads them.
   */
  private remember(t: TrialRecord, curve: StepValue[]): void {
    this.counted++;
    if (t.state === 'FAILED') this.failedCount++;
    else this.anyResult = true;
    if (!this.keepsHistory) return;
    const intermediate = this.keepsCurves ? curve : [];
    this.history.push({
      id: t.id,
      number: t.number,
      state: t.state as HistoryTrial['state'],
      params: t.params,
      value: t.state === 'FAILED' ? null : t.value,
      intermediate,
      ...(paretoDirections(this.spec) ? { values: objectiveValues(this.spec, t.metrics), violation: constraintViolation(this.spec, t.metrics) } : {}),
    });
  }

  /** Whether the sampler or the pruner reads finished trials (see `remember`). */
  private get keepsHistory(): boolean {
    return findSampler(this.spec.search.algorithm)?.readsHistory !== false || this.keepsCurves;
  }

  private get keepsCurves(): boolean {
    return findPruner(this.spec.pruning.algorithm)?.readsPeers !== false;
  }

  /** Wakes the loop: a trial settled, the budget changed, or the run was asked to stop. */
  private wake(): void {
    this.wakePending = true;
    const resolve = this.resolveSleep;
    this.resolveSleep = undefined;
    resolve?.();
  }

  /**
   * Waits for the next {@link wake} (or returns at once if one came while the loop was busy). Only
   * this short-lived promise is awaited: racing one that lives as long as the run would add a
   * reaction to it every round, kept until the run ends.
   */
  private async sleep(): Promise<void> {
    if (!this.wakePending) await new Promise<void>((resolve) => (this.resolveSleep = resolve));
    this.wakePending = false;
  }

  private async loop(): Promise<Stop> {
    let exhausted = false;
    for (;;) {
      if (this.broken) throw this.broken.error;
      const { budget } = this.spec;
      if (this.draining) return { state: 'DRAINED' };
      if (this.cancel$.signal.aborted) return { state: 'CANCELLED', reason: 'cancelled' };
      if (this.failedCount >= budget.maxFailedTrials) return { state: 'FAILED', reason: MAX_FAILED };
      const remaining = budget.maxTrials - this.counted - this.inFlight.size;
      if (remaining <= 0 && this.inFlight.size === 0) return this.ended('maxTrials reached');
      const free = Math.min(this.deps.cap() - this.inFlight.size, remaining);
      if (free > 0 && (!exhausted || this.queue.length > 0)) {
        const started = await this.startTrials(free);
        if (started < free && this.queue.length === 0) exhausted = true;
      }
      if (this.inFlight.size === 0) {
        if (exhausted) return this.ended('search space exhausted');
        continue;
      }
      await this.sleep();
    }
  }

  /** The end of a run that used its budget: COMPLETE, unless no trial gave a result. */
  private ended(reason: string): { state: 'COMPLETE' | 'FAILED'; reason: string } {
    if (this.anyResult) return { state: 'COMPLETE', reason };
    return { state: 'FAILED', reason: `every trial failed (${this.counted} trials)` };
  }

  /**
   * Renews the experiment's heartbeat once a second, off the per-trial path, and follows its stored
   * state. When the heartbeat fails the experiment left this process: cancelled by another (`hpo
   * cancel` beside `hpo serve`), so the runner cancels; or taken over after this process looked
   * dead, so it stops without writing. A budget changed in the store (`PATCH`, `hpo update`) applies.
   */
  private watchStoredState(): NodeJS.Timeout {
    const { experiments } = this.deps.store;
    const id = this.experiment.id;
    const timer = setInterval(() => {
      experiments
        .heartbeat(id, this.deps.owner, this.deps.now())
        .then(async (alive) => {
          if (this.cancel$.signal.aborted) return;
          const stored = await experiments.get(id);
          if (!alive) {
            if (stored?.state === 'RUNNING') this.detach('lost');
            else this.cancel$.abort();
            return;
          }
          if (stored && JSON.stringify(stored.spec.budget) !== JSON.stringify(this.spec.budget)) {
            this.spec = { ...this.spec, budget: stored.spec.budget };
            this.deps.specChanged?.(this.spec);
            this.wake();
          }
        })
        .catch(() => undefined);
    }, STATE_CHECK_MS);
    return timer.unref();
  }

  /** Starts up to `count` trials: repeats and retries queued in the store first, then new suggestions. */
  private async startTrials(count: number): Promise<number> {
    const batch = this.queue.splice(0, count);
    const wanted = count - batch.length;
    const suggested = wanted > 0 ? await this.suggest(wanted) : [];
    for (const trial of batch) this.launch(trial.params, trial);
    for (const params of suggested) this.launch(params);
    return batch.length + suggested.length;
  }

  private suggest(count: number): Promise<Params[]> {
    const pending = [...this.inFlight].map((f) => f.params).concat(this.queue.map((t) => t.params));
    return (this.deps.suggest ?? suggestParams)({
      algorithm: this.spec.search.algorithm,
      space: this.spec.space,
      direction: this.spec.objective.direction,
      ...(paretoDirections(this.spec) ? { objectives: paretoDirections(this.spec) } : {}),
      history: this.history,
      pending,
      count,
      seed: this.spec.search.seed,
      // The number of the next trial: the same history always draws from the same stream.
      stream: this.counted + this.inFlight.size + 1,
      settings: this.spec.search.settings,
      maxTrials: this.spec.budget.maxTrials,
    });
  }

  private launch(params: Params, trial?: TrialRecord): void {
    const abort = new AbortController();
    const entry: InFlight = { params, trial, attempt: 0, curve: [], lastStep: null, abort, lost: false, done: Promise.resolve() };
    this.inFlight.add(entry);
    if (this.cancel$.signal.aborted) abort.abort(this.cancel$.signal.reason);
    entry.done = this.execute(entry)
      .catch((error: unknown) => {
        this.broken ??= { error };
      })
      .finally(() => {
        this.inFlight.delete(entry);
        this.wake();
      });
  }

  /** Waits for a slot, then stores (a new suggestion), claims and runs the trial, and records how it ended. */
  private async execute(entry: InFlight): Promise<void> {
    let slot: SlotLease;
    try {
      slot = await this.deps.slots.acquire();
    } catch (error) {
      if (error instanceof SlotsClosedError) return; // stopped while waiting: nothing was stored for a suggestion
      throw error;
    }
    try {
      if (this.cancel$.signal.aborted || this.draining) return;
      const { now } = this.deps;
      const trial = entry.trial ?? (await this.writes.createWaiting(entry.params, null, now(), () => this.knownIds()));
      const artifactDir = join(this.deps.artifactsRoot, String(this.experiment.id), String(trial.number));
      mkdirSync(artifactDir, { recursive: true });
      const claimedAt = now();
      const attempt = await this.writes.claim(trial, artifactDir, this.deps.owner, claimedAt + this.deps.trialLeaseMs, claimedAt);
      if (attempt === 0) return;
      entry.trial = { ...trial, state: 'RUNNING', attempt, artifactDir, worker: this.deps.owner, startedAt: claimedAt };
      entry.attempt = attempt;
      const signal = entry.abort.signal;
      const run = await this.deps.pool.run(
        {
          trialId: trial.id,
          experimentId: this.experiment.id,
          trialNumber: trial.number,
          attempt,
          seed: trialSeed(this.spec.search.seed, trial.number),
          artifactDir,
          objectiveMetric: this.spec.objective.metric,
          trial: this.spec.trial,
          params: trial.params,
        },
        {
          timeoutMs: this.spec.budget.trialTimeoutSec * 1000,
          signal,
          onReport: (step, metrics) => this.onReport(entry, step, metrics),
        },
      );
      await this.complete(entry, run, artifactDir);
    } finally {
      slot.release();
    }
  }

  private async onReport(entry: InFlight, step: number, metrics: Record<string, number>): Promise<boolean> {
    this.reports.add({ trialId: entry.trial!.id, attempt: entry.attempt, step, metrics });
    entry.lastStep = entry.lastStep === null ? step : Math.max(entry.lastStep, step);
    const value = metrics[this.spec.objective.metric];
    if (typeof value !== 'number' || !Number.isFinite(value)) return false;
    entry.curve.push({ step, value });
    const pruner = findPruner(this.spec.pruning.algorithm)!;
    const pruned = pruner.shouldPrune({
      direction: this.spec.objective.direction,
      trial: { id: entry.trial!.id, intermediate: entry.curve },
      peers: this.peers(entry.trial!.id),
      settings: this.spec.pruning.settings,
    });
    this.deps.pruneDecided?.(this.spec.pruning.algorithm, pruned);
    return pruned;
  }

  /**
   * An attempt whose lease ran out (its worker stopped renewing it): the trial ends FAILED `lost`,
   * once, and the retry policy decides as for any failure; the attempt is stopped, and whatever it
   * sends later is refused. False if it had already moved on.
   */
  async lose(trialId: number, attempt: number): Promise<boolean> {
    const entry = [...this.inFlight].find((f) => f.trial?.id === trialId && f.attempt === attempt);
    if (!entry || entry.lost) return false;
    const { now } = this.deps;
    const lost = {
      state: 'FAILED' as const,
      failure: 'lost' as const,
      metrics: null,
      value: null,
      error: 'lost: its worker stopped renewing its lease',
      backend: null,
      lastStep: entry.lastStep,
      artifactDir: null,
    };
    const at = now();
    if (!(await this.writes.finish(entry.trial!, attempt, lost, at))) return false;
    entry.lost = true;
    entry.abort.abort();
    const stored: TrialRecord = { ...entry.trial!, ...lost, interrupted: false, finishedAt: at };
    await this.settle(stored, entry.curve);
    this.deps.trialFinished?.(stored);
    return true;
  }

  /** Writes a batch of reports; those of attempts that lost their trial are refused, logged, and their attempts stopped. */
  private async saveReports(batch: IntermediateReport[]): Promise<void> {
    // Storing a report again overwrites the same step with the same value: a retry needs no check.
    const refused = await this.writes.saveIntermediate(batch);
    if (refused.length === 0) return;
    const at = this.deps.now();
    await this.writes.recordRejections(
      refused.map((r) => ({
        trialId: r.trialId,
        attempt: r.attempt,
        kind: 'report' as const,
        detail: `step ${r.step}: the attempt no longer holds the trial`,
        at,
      })),
    );
    for (const f of this.inFlight) if (refused.some((r) => r.trialId === f.trial?.id && r.attempt === f.attempt)) f.abort.abort();
  }

  private peers(exceptId: number): PeerTrial[] {
    const finished: PeerTrial[] = this.history.map((h) => ({ id: h.id, state: h.state, intermediate: h.intermediate }));
    const live: PeerTrial[] = [...this.inFlight]
      .filter((f) => f.trial && f.attempt > 0 && f.trial.id !== exceptId)
      .map((f) => ({ id: f.trial!.id, state: 'RUNNING', intermediate: f.curve }));
    return finished.concat(live);
  }

  private async complete(entry: InFlight, run: PoolRunResult, artifactDir: string): Promise<void> {
    const others = objectivesOf(this.spec)
      .slice(1)
      .map((o) => o.metric);
    const result = toTrialResult(run, this.spec.objective.metric, entry.curve, entry.lastStep, artifactDir, others);
    await this.reports.flush();
    if (this.detached === 'shutdown') return;
    const trial = entry.trial!;
    const { now } = this.deps;
    const at = now();
    if (!(await this.writes.finish(trial, entry.attempt, result, at))) {
      // The attempt lost its trial meanwhile (another process adopted the experiment, or its lease ran out): its result is not applied.
      await this.writes.recordRejections([
        { trialId: trial.id, attempt: entry.attempt, kind: 'result', detail: `${result.state}: the attempt no longer holds the trial`, at },
      ]);
      return;
    }
    const stored: TrialRecord = {
      ...trial,
      ...result,
      interrupted: result.interrupted ?? false,
      failure: result.state === 'FAILED' ? (result.failure ?? 'error') : null,
      finishedAt: at,
    };
    // A trial stopped by a cancel says nothing about its parameters: a resume runs it again.
    if (!stored.interrupted) await this.settle(stored, entry.curve);
    this.deps.trialFinished?.(stored);
  }

  /** Counts a finished trial, or queues its retry when the policy says so (then it counts once, through the retry). */
  private async settle(trial: TrialRecord, curve: StepValue[]): Promise<void> {
    const retry = retryDecision(trial, this.spec.budget);
    if (!retry) return this.remember(trial, curve);
    await this.writes.markRetried(trial);
    const repeatOf = { id: trial.id, number: trial.number, reason: 'retry' as const, retryNumber: trial.retryNumber + 1 };
    this.queue.push(await this.writes.createWaiting(trial.params, repeatOf, this.deps.now(), () => this.knownIds(), trial.enqueued));
  }
}
