import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ExperimentSpec } from '../../config/experiment-spec.types';
import { HistoryTrial, StepValue } from '../../search/history.types';
import { PeerTrial } from '../../search/pruners/pruner.types';
import { findPruner } from '../../search/pruners/registry';
import { Params } from '../../search/space/space.types';
import type { ExperimentStore } from '../ports/experiment-store.port';
import type { PoolRunResult, TrialExecutor } from '../pool/trial-executor';
import { ExperimentRecord, TrialRecord } from '../trial.types';
import type { SuggestTask } from './suggest-task';
import { toTrialResult } from './outcome';
import { ReportBuffer } from './report-buffer';
import { suggestParams } from './suggestion-source';
import { trialSeed } from './trial-seed';

/** The stop reason of a run that reached `maxFailedTrials`; the stored reason adds the final count. */
const MAX_FAILED = 'maxFailedTrials reached';

/** How often the runner renews its experiment's heartbeat (and so notices a cancel made by another process). */
export const STATE_CHECK_MS = 1_000;

/** Asks a sampler for suggestions (in a worker thread for costly ones); tests pass the pure call. */
export type SuggestFn = (task: SuggestTask) => Promise<Params[]>;

/** What the runner needs from outside: the store, where trials run, where artifacts go, a clock. */
export interface RunnerDeps {
  store: ExperimentStore;
  pool: TrialExecutor;
  /** This process's owner id: the runner renews the experiment's heartbeat under it. */
  owner: string;
  artifactsRoot: string;
  now: () => number;
  /** Called after each trial's final state is stored (the service turns it into a `trialFinished` event). */
  trialFinished?: (trial: TrialRecord) => void;
  /** Defaults to {@link suggestParams}. */
  suggest?: SuggestFn;
}

interface Running {
  trial: TrialRecord;
  curve: StepValue[];
  lastStep: number | null;
  done: Promise<void>;
}

/**
 * The ask/tell loop of one experiment: asks the sampler for as many trials as there are free
 * slots, runs them in the pool, records every result before acting on it, and stops at the
 * budget, when the space is exhausted, at `maxFailedTrials`, or on cancel. All state it keeps is
 * derivable from the store, so a new runner over the same experiment continues where it left off.
 */
export class ExperimentRunner {
  readonly history: HistoryTrial[] = [];
  private readonly running = new Map<number, Running>();
  private waiting: TrialRecord[] = [];
  private readonly cancel$ = new AbortController();
  /** Settles when the experiment is cancelled or detached; one listener for the runner's whole life. */
  private readonly stopped: Promise<void>;
  private readonly reports: ReportBuffer;
  private readonly spec: ExperimentSpec;
  private failedCount = 0;
  private detached = false;

  constructor(
    readonly experiment: ExperimentRecord,
    private readonly deps: RunnerDeps,
  ) {
    this.spec = experiment.spec;
    this.reports = new ReportBuffer((batch) => deps.store.trials.saveIntermediate(batch));
    this.stopped = new Promise((resolve) => this.cancel$.signal.addEventListener('abort', () => resolve(), { once: true }));
  }

  /** Stops the experiment: running trials are aborted and recorded FAILED `cancelled`, interrupted (run again on resume). */
  cancel(): void {
    this.cancel$.abort();
  }

  /**
   * Stops without recording anything more (process shutdown): trials still running stay RUNNING
   * in the store, so the next start resumes them as interrupted.
   */
  detach(): void {
    this.detached = true;
    this.cancel$.abort();
  }

  get cancelled(): boolean {
    return this.cancel$.signal.aborted;
  }

  /** Runs to the end; resolves with the experiment's final record. */
  async run(): Promise<ExperimentRecord> {
    await this.loadState();
    const watch = this.watchStoredState();
    const stop = await this.loop().finally(() => clearInterval(watch));
    await Promise.all([...this.running.values()].map((r) => r.done));
    await this.reports.flush();
    if (this.detached) return (await this.deps.store.experiments.get(this.experiment.id))!;
    // Said once the running trials have settled, so the count matches what is stored.
    const reason =
      stop.reason === MAX_FAILED
        ? `maxFailedTrials reached (${this.failedCount} trials failed, the limit is ${this.spec.budget.maxFailedTrials})`
        : stop.reason;
    await this.deps.store.experiments.finish(this.experiment.id, stop.state, reason, this.deps.now());
    return (await this.deps.store.experiments.get(this.experiment.id))!;
  }

  private async loadState(): Promise<void> {
    const { trials } = this.deps.store;
    const finished = await trials.inStates(this.experiment.id, ['COMPLETE', 'PRUNED', 'FAILED']);
    const curves = await trials.metricCurves(this.experiment.id, this.spec.objective.metric);
    for (const t of finished.filter((x) => !x.interrupted)) this.remember(t, curves.get(t.id) ?? []);
    this.waiting = await trials.inStates(this.experiment.id, ['WAITING']);
  }

  private remember(t: TrialRecord, curve: StepValue[]): void {
    if (t.state === 'FAILED') this.failedCount++;
    this.history.push({
      id: t.id,
      number: t.number,
      state: t.state as HistoryTrial['state'],
      params: t.params,
      value: t.state === 'FAILED' ? null : t.value,
      intermediate: curve,
    });
  }

  private async loop(): Promise<{ state: 'COMPLETE' | 'FAILED' | 'CANCELLED'; reason: string }> {
    const { budget } = this.spec;
    const slots = Math.max(1, Math.min(budget.parallelism, this.deps.pool.size));
    let exhausted = false;
    for (;;) {
      if (this.cancelled) return { state: 'CANCELLED', reason: 'cancelled' };
      if (this.failedCount >= budget.maxFailedTrials) return { state: 'FAILED', reason: MAX_FAILED };
      const remaining = budget.maxTrials - this.history.length - this.running.size;
      if (remaining <= 0 && this.running.size === 0) return this.ended('maxTrials reached');
      const free = Math.min(slots - this.running.size, remaining);
      if (free > 0 && !exhausted) {
        const started = await this.startTrials(free);
        if (started < free && this.waiting.length === 0) exhausted = true;
      }
      if (this.running.size === 0) {
        if (exhausted) return this.ended('search space exhausted');
        continue;
      }
      await Promise.race([...[...this.running.values()].map((r) => r.done), this.stopped]);
    }
  }

  /** The end of a run that used its budget: COMPLETE, unless no trial gave a result. */
  private ended(reason: string): { state: 'COMPLETE' | 'FAILED'; reason: string } {
    if (this.history.some((t) => t.state !== 'FAILED')) return { state: 'COMPLETE', reason };
    return { state: 'FAILED', reason: `every trial failed (${this.history.length} trials)` };
  }

  /**
   * Renews the experiment's heartbeat once a second, off the per-trial path. When that fails the
   * experiment left this process: cancelled by another (`hpo cancel` beside `hpo serve`), so the
   * runner cancels; or taken over after this process looked dead, so it stops without writing.
   */
  private watchStoredState(): NodeJS.Timeout {
    const { experiments } = this.deps.store;
    const id = this.experiment.id;
    const timer = setInterval(() => {
      experiments
        .heartbeat(id, this.deps.owner, this.deps.now())
        .then(async (alive) => {
          if (alive || this.cancelled) return;
          const stored = await experiments.get(id);
          if (stored?.state === 'RUNNING') this.detach();
          else this.cancel$.abort();
        })
        .catch(() => undefined);
    }, STATE_CHECK_MS);
    return timer.unref();
  }

  /** Starts up to `count` trials: repeats waiting from an interruption first, then new suggestions. */
  private async startTrials(count: number): Promise<number> {
    const batch = this.waiting.splice(0, count);
    const wanted = count - batch.length;
    if (wanted > 0) {
      for (const params of await this.suggest(wanted)) {
        batch.push(await this.deps.store.trials.createWaiting(this.experiment.id, params, null, this.deps.now()));
      }
    }
    for (const trial of batch) await this.launch(trial);
    return batch.length;
  }

  private suggest(count: number): Promise<Params[]> {
    const pending = [...this.running.values()].map((r) => r.trial.params).concat(this.waiting.map((t) => t.params));
    return (this.deps.suggest ?? suggestParams)({
      algorithm: this.spec.search.algorithm,
      space: this.spec.space,
      direction: this.spec.objective.direction,
      history: this.history,
      pending,
      count,
      seed: this.spec.search.seed,
      // The number of the next trial: the same history always draws from the same stream.
      stream: this.history.length + this.running.size + 1,
      settings: this.spec.search.settings,
      maxTrials: this.spec.budget.maxTrials,
    });
  }

  private async launch(trial: TrialRecord): Promise<void> {
    const artifactDir = join(this.deps.artifactsRoot, String(this.experiment.id), String(trial.number));
    mkdirSync(artifactDir, { recursive: true });
    if (!(await this.deps.store.trials.claim(trial.id, artifactDir, this.deps.now()))) return;
    const entry: Running = { trial: { ...trial, state: 'RUNNING' }, curve: [], lastStep: null, done: Promise.resolve() };
    this.running.set(trial.id, entry);
    entry.done = this.deps.pool
      .run(
        {
          trialId: trial.id,
          trialNumber: trial.number,
          seed: trialSeed(this.spec.search.seed, trial.number),
          artifactDir,
          objectiveMetric: this.spec.objective.metric,
          trial: this.spec.trial,
          params: trial.params,
        },
        { timeoutMs: this.spec.budget.trialTimeoutSec * 1000, signal: this.cancel$.signal, onReport: (step, metrics) => this.onReport(entry, step, metrics) },
      )
      .then((result) => this.complete(entry, result, artifactDir));
  }

  private async onReport(entry: Running, step: number, metrics: Record<string, number>): Promise<boolean> {
    this.reports.add({ trialId: entry.trial.id, step, metrics });
    entry.lastStep = entry.lastStep === null ? step : Math.max(entry.lastStep, step);
    const value = metrics[this.spec.objective.metric];
    if (typeof value !== 'number' || !Number.isFinite(value)) return false;
    entry.curve.push({ step, value });
    const pruner = findPruner(this.spec.pruning.algorithm)!;
    return pruner.shouldPrune({
      direction: this.spec.objective.direction,
      trial: { id: entry.trial.id, intermediate: entry.curve },
      peers: this.peers(entry.trial.id),
      settings: this.spec.pruning.settings,
    });
  }

  private peers(exceptId: number): PeerTrial[] {
    const finished: PeerTrial[] = this.history.map((h) => ({ id: h.id, state: h.state, intermediate: h.intermediate }));
    const live: PeerTrial[] = [...this.running.values()]
      .filter((r) => r.trial.id !== exceptId)
      .map((r) => ({ id: r.trial.id, state: 'RUNNING', intermediate: r.curve }));
    return finished.concat(live);
  }

  private async complete(entry: Running, run: PoolRunResult, artifactDir: string): Promise<void> {
    const result = toTrialResult(run, this.spec.objective.metric, entry.curve, entry.lastStep, artifactDir);
    await this.reports.flush();
    if (this.detached) {
      this.running.delete(entry.trial.id);
      return;
    }
    await this.deps.store.trials.finish(entry.trial.id, this.experiment.id, result, this.deps.now());
    const stored: TrialRecord = { ...entry.trial, ...result, interrupted: result.interrupted ?? false, finishedAt: this.deps.now() };
    this.running.delete(entry.trial.id);
    // A trial stopped by a cancel says nothing about its parameters: a resume runs it again.
    if (!stored.interrupted) this.remember(stored, entry.curve);
    this.deps.trialFinished?.(stored);
  }
}
