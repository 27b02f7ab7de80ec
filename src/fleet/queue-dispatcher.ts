import { Queue, QueueEvents } from 'bullmq';
import { BadRequestError, ConflictError, NotFoundError } from '../domain/errors';
import type { ExperimentStore } from '../trials/ports/experiment-store.port';
import { INTERRUPT_REASON, PoolRunOptions, PoolRunResult, TrialExecutor, TrialRunRequest } from '../trials/pool/trial-executor';
import {
  attemptJobId,
  GPU_TRIAL_QUEUE,
  queueFor,
  HeartbeatBody,
  HeartbeatReply,
  ReportBody,
  ReportReply,
  ResultBody,
  ResultReply,
  RunningAttempt,
  TRIAL_QUEUE,
  TrialJobData,
} from './fleet-protocol';
import { ArtifactIntake } from './artifact-intake';
import { InputCatalog } from './input-catalog';
import { readyWithin, redisConnection, throttledWarning } from './redis-connection';
import { WorkerDirectory } from './worker-directory';

/** After how long without a heartbeat or a report a started attempt counts as lost (`HPO_WORKER_LOST_SEC`). */
export const DEFAULT_WORKER_LOST_MS = 10_000;
/** How many trials a queue-backed process keeps on their way at once, over all experiments: each experiment's parallelism is its cap. */
export const QUEUE_SLOTS = 1024;
/** A cancelled attempt whose worker does not answer within this is settled as cancelled anyway. */
const STOP_BACKSTOP_MS = 10_000;
/** A started attempt past its timeout by this much (its worker's own timer did not end it) is settled as timed out. */
const TIMEOUT_BACKSTOP_MS = 30_000;
const WATCH_MS = 500;

/** A report or result for an attempt that another live scheduler runs: the worker should send it there (HTTP 421). */
export class MisdirectedError extends Error {}

/** Where the queue is and what the dispatcher answers with. */
export interface DispatcherOptions {
  url: string;
  prefix: string;
  store: ExperimentStore;
  /** This scheduler's owner id in the store (known once its experiment service exists). */
  owner: () => string;
  now?: () => number;
  lostAfterMs?: number;
  /** Whether this process runs the experiment now: then every attempt of it that this dispatcher does not wait for is stale. */
  runs?: (experimentId: number) => boolean;
}

/** An attempt on the queue or on a worker, waiting for its result. */
interface Pending {
  jobId: string;
  experimentId: number;
  trialId: number;
  attempt: number;
  artifactDir: string;
  timeoutMs: number;
  queue: Queue;
  options: PoolRunOptions;
  settle(result: PoolRunResult): void;
  startedAt?: number;
  lastSeen: number;
  worker?: string;
  /** The write of `worker` as the trial's runner, once it is known. */
  runnerStored?: Promise<unknown>;
  stop?: 'cancelled' | 'interrupted';
  stopAt?: number;
}

/** Who sent a message about an attempt this process does not wait for. */
interface StrayRef {
  experimentId: number;
  trialNumber: number;
}

/**
 * The scheduler's side of the fleet: puts each trial attempt on the BullMQ queue as one job
 * (`jobId` = trial id and attempt), answers the reports workers stream back (stored, judged by the
 * pruner, answered prune / go on / cancel), settles each attempt from its worker's result, and
 * fences everything by attempt: a message from an attempt this process no longer waits for is
 * refused and logged with the trial (unless another live scheduler holds it: then it is misdirected).
 * A started attempt whose worker falls silent past the lost time, or whose job BullMQ finds stalled,
 * ends as a crash, which the experiment's retry policy may run again on another worker.
 */
export class QueueDispatcher {
  /** One queue per resource class (CPU, GPU), by name. */
  private readonly queues = new Map<string, Queue>();
  private readonly events: QueueEvents[] = [];
  private readonly pending = new Map<string, Pending>();
  /** Files workers may fetch, by content hash. */
  readonly inputs = new InputCatalog();
  readonly workers: WorkerDirectory;
  private readonly artifacts = new ArtifactIntake();
  private readonly now: () => number;
  private readonly lostAfterMs: number;
  private readonly watchdog: NodeJS.Timeout;
  private readonly reconnect = { stopped: false };

  private constructor(private readonly options: DispatcherOptions) {
    const connection = redisConnection(options.url, this.reconnect);
    const warn = throttledWarning('queue');
    for (const name of [TRIAL_QUEUE, GPU_TRIAL_QUEUE]) {
      const queue = new Queue(name, { connection, prefix: options.prefix });
      queue.on('error', warn);
      this.queues.set(name, queue);
      const events = new QueueEvents(name, { connection, prefix: options.prefix });
      events.on('error', warn);
      events.on('failed', ({ jobId, failedReason }) => {
        const entry = this.pending.get(jobId);
        if (entry) entry.settle({ ok: false, reason: /stall/i.test(failedReason) ? 'crash' : 'error', message: `worker: ${failedReason}` });
      });
      this.events.push(events);
    }
    this.now = options.now ?? Date.now;
    this.lostAfterMs = options.lostAfterMs ?? DEFAULT_WORKER_LOST_MS;
    this.workers = new WorkerDirectory(this.now, this.lostAfterMs);
    this.watchdog = setInterval(() => this.watch(), WATCH_MS).unref();
  }

  /** Connects to the queue; rejects when Redis cannot be reached. */
  static async open(options: DispatcherOptions): Promise<QueueDispatcher> {
    const dispatcher = new QueueDispatcher(options);
    try {
      await readyWithin(Promise.all([...dispatcher.queues.values(), ...dispatcher.events].map((q) => q.waitUntilReady())), options.url);
    } catch (error) {
      // Given up, not closed: a close would wait for the connection that never came.
      dispatcher.reconnect.stopped = true;
      for (const q of [...dispatcher.queues.values(), ...dispatcher.events]) void q.disconnect().catch(() => undefined);
      clearInterval(dispatcher.watchdog);
      throw error;
    }
    return dispatcher;
  }

  /** What a worker asks before it takes jobs: the Redis key prefix of this database's queues. */
  queueInfo(): { prefix: string } {
    return { prefix: this.options.prefix };
  }

  /** The trial executor the scheduler uses for trials with this memory bound: the queue instead of a local pool. */
  executor(memoryMb: number): TrialExecutor {
    return { size: QUEUE_SLOTS, run: (task, options) => this.run(task, memoryMb, options), destroy: async () => undefined };
  }

  /** Attempts put on the queue and not yet started by a worker, per experiment id. */
  /** Whether Redis answers on every queue's connection (readiness). */
  async reachable(): Promise<void> {
    await Promise.all([...this.queues.values()].map(async (q) => ((await q.client) as unknown as { ping(): Promise<string> }).ping()));
  }

  queueDepth(): Record<number, number> {
    const depth: Record<number, number> = {};
    for (const p of this.pending.values()) if (p.startedAt === undefined) depth[p.experimentId] = (depth[p.experimentId] ?? 0) + 1;
    return depth;
  }

  private async run(task: TrialRunRequest, memoryMb: number, options: PoolRunOptions): Promise<PoolRunResult> {
    const jobId = attemptJobId(task.trialId, task.attempt);
    const experimentId = task.experimentId ?? 0;
    let data: TrialJobData;
    try {
      data = { experimentId, request: task, memoryMb, timeoutMs: options.timeoutMs, inputs: this.inputs.inputsOf(task.trial), owner: this.options.owner() };
    } catch (error) {
      return { ok: false, reason: 'error', message: `an input file cannot be read: ${(error as Error).message}` };
    }
    let entry!: Pending;
    const settled = new Promise<PoolRunResult>((resolve) => {
      entry = {
        jobId,
        experimentId,
        trialId: task.trialId,
        attempt: task.attempt,
        artifactDir: task.artifactDir,
        timeoutMs: options.timeoutMs,
        queue: this.queues.get(queueFor(task.trial))!,
        options,
        lastSeen: this.now(),
        settle: (result) => {
          if (this.pending.get(jobId) !== entry) return;
          this.pending.delete(jobId);
          resolve(result);
        },
      };
    });
    this.pending.set(jobId, entry);
    const onAbort = (): void => void this.stop(entry, options.signal.reason === INTERRUPT_REASON ? 'interrupted' : 'cancelled');
    options.signal.addEventListener('abort', onAbort, { once: true });
    try {
      await entry.queue.add('trial', data, { jobId, removeOnComplete: true, removeOnFail: 1000 });
      if (options.signal.aborted) onAbort();
      return await settled;
    } catch (error) {
      entry.settle({ ok: false, reason: 'crash', message: `the trial could not be put on the queue: ${(error as Error).message}` });
      return settled;
    } finally {
      options.signal.removeEventListener('abort', onAbort);
    }
  }

  /** A cancel or a graceful stop: a job not yet started is taken off the queue; a running one is told in its next answer. */
  private async stop(entry: Pending, reason: 'cancelled' | 'interrupted'): Promise<void> {
    if (entry.stop) return;
    entry.stop = reason;
    entry.stopAt = this.now();
    if (entry.startedAt !== undefined) return;
    const removed = await entry.queue.remove(entry.jobId).catch(() => 0);
    if (removed) entry.settle({ ok: false, reason, message: reason });
  }

  private watch(): void {
    const now = this.now();
    for (const p of [...this.pending.values()]) {
      if (p.stop && now - p.stopAt! > STOP_BACKSTOP_MS) p.settle({ ok: false, reason: p.stop, message: `${p.stop} (its worker did not answer)` });
      else if (p.startedAt !== undefined && now - p.lastSeen > this.lostAfterMs)
        p.settle({ ok: false, reason: 'crash', message: `lost: worker ${p.worker ?? '?'} fell silent for ${Math.round((now - p.lastSeen) / 1000)} s` });
      else if (p.startedAt !== undefined && now - p.startedAt > p.timeoutMs + TIMEOUT_BACKSTOP_MS)
        p.settle({ ok: false, reason: 'timeout', message: `timed out after ${p.timeoutMs / 1000} s` });
    }
  }

  /**
   * Notes that an attempt's worker was heard from. The first time a worker names itself for an
   * attempt, that is stored with the trial (where the dashboard's timeline lays it out); the
   * promise settles once it is, and never rejects (a lost write only costs the timeline its lane).
   */
  private seen(entry: Pending, worker?: string): Promise<unknown> {
    entry.lastSeen = this.now();
    entry.startedAt ??= entry.lastSeen;
    if (worker && entry.worker !== worker) {
      entry.worker = worker;
      entry.runnerStored = this.options.store.trials.setRunner(entry.trialId, entry.attempt, worker).catch(() => undefined);
    }
    return entry.runnerStored ?? Promise.resolve();
  }

  /** An intermediate report of an attempt: stored and judged by its runner; the answer says prune, go on or cancel. */
  async report(trialId: number, attempt: number, body: ReportBody & StrayRef): Promise<ReportReply> {
    const entry = this.pending.get(attemptJobId(trialId, attempt));
    if (!entry) {
      await this.refuseStray(trialId, attempt, body, 'report', `step ${body.step}`);
      return { prune: false, cancel: true };
    }
    void this.seen(entry);
    if (entry.stop || entry.options.signal.aborted) return { prune: false, cancel: true };
    const prune = await entry.options.onReport(body.step, body.metrics).catch(() => false);
    return { prune, cancel: entry.stop !== undefined || entry.options.signal.aborted };
  }

  /** How an attempt ended: settles it for its runner, which stores it if the attempt still holds the trial. */
  async result(trialId: number, attempt: number, body: ResultBody & StrayRef): Promise<ResultReply> {
    const entry = this.pending.get(attemptJobId(trialId, attempt));
    const what = body.result.ok ? 'a result' : `a failure (${body.result.reason})`;
    if (!entry) {
      const reason = await this.refuseStray(trialId, attempt, body, 'result', `${what} from worker ${body.worker}`);
      return { accepted: false, reason };
    }
    // Stored before the result is: the trial must still be RUNNING for its runner to be recorded.
    await this.seen(entry, body.worker);
    const result: PoolRunResult = entry.stop && body.result.ok ? { ok: false, reason: entry.stop, message: entry.stop } : body.result;
    entry.settle(result);
    return { accepted: true };
  }

  /** A file of an attempt's artifact, checked against its SHA-256 and written where its runner expects the artifact. */
  async artifact(trialId: number, attempt: number, name: string, bytes: Buffer, sha256: string): Promise<void> {
    const entry = this.pending.get(attemptJobId(trialId, attempt));
    if (!entry) throw new ConflictError(`attempt ${attempt} of trial ${trialId} no longer holds its trial here: its files are refused`);
    void this.seen(entry);
    this.artifacts.write(entry.artifactDir, name, bytes, sha256);
  }

  /**
   * A worker's heartbeat: keeps its attempts alive; the answer names those it should stop: cancelled
   * ones, and stale ones of experiments this process runs (a job a dead scheduler left, taken before
   * the adopter removed it): every current attempt of such an experiment is one this process waits for.
   */
  async heartbeat(body: HeartbeatBody): Promise<HeartbeatReply> {
    if (body.leaving) this.workers.forget(body.id);
    else this.workers.heard(body);
    const cancel: RunningAttempt[] = [];
    for (const a of body.running) {
      const entry = this.pending.get(attemptJobId(a.trialId, a.attempt));
      if (entry) {
        void this.seen(entry, body.id);
        if (entry.stop || entry.options.signal.aborted) cancel.push(a);
      } else if (this.options.runs?.(a.experimentId)) cancel.push(a);
    }
    return { cancel };
  }

  /**
   * Takes off the queue the jobs of these experiments that another scheduler put there and no
   * worker has started: what a dead owner left of experiments this process just adopted. Their
   * attempts ended `interrupted` with the adoption (run again as new trials), so a worker would
   * only run them to have the result refused. Jobs this process queued are kept; a job a worker
   * takes meanwhile is stopped through its heartbeat's answer. Resolves to how many were removed.
   */
  async removeStaleJobs(experimentIds: readonly number[]): Promise<number> {
    const adopted = new Set(experimentIds);
    const mine = this.options.owner();
    let removed = 0;
    for (const queue of this.queues.values()) {
      const jobs = await queue.getJobs(['waiting', 'prioritized', 'delayed', 'paused']);
      for (const job of jobs) {
        const data = job.data as TrialJobData | undefined;
        if (!data || !adopted.has(data.experimentId) || data.owner === mine) continue;
        // Refused when a worker has just locked it: that attempt is stopped by its heartbeat's answer instead.
        if (
          await job.remove().then(
            () => true,
            () => false,
          )
        )
          removed++;
      }
    }
    return removed;
  }

  /** The bytes of an input file a trial references, by hash. */
  file(sha256: string): Buffer {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new BadRequestError([{ path: 'sha256', message: 'must be 64 lowercase hex digits' }]);
    const bytes = this.inputs.read(sha256);
    if (!bytes) throw new NotFoundError(`no input file with SHA-256 ${sha256} is referenced by a trial here`);
    return bytes;
  }

  /**
   * A message about an attempt this process does not wait for. If the store says another live
   * scheduler holds it, it is misdirected; otherwise it is stale (the attempt lost its trial, which
   * was settled or run again) and is refused and logged with the trial. Resolves to the reason.
   */
  private async refuseStray(trialId: number, attempt: number, ref: StrayRef, kind: 'report' | 'result', what: string): Promise<string> {
    const trial = await this.options.store.queries.byNumber(ref.experimentId, ref.trialNumber);
    if (!trial || trial.id !== trialId) throw new NotFoundError(`no trial ${trialId} is number ${ref.trialNumber} of experiment ${ref.experimentId}`);
    if (trial.state === 'RUNNING' && trial.attempt === attempt && trial.worker !== this.options.owner()) {
      throw new MisdirectedError(`attempt ${attempt} of trial ${trialId} is run by another scheduler`);
    }
    const reason = `${what}: the attempt no longer holds the trial (now ${trial.state}, attempt ${trial.attempt})`;
    await this.options.store.trials.recordRejections([{ trialId, attempt, kind, detail: reason, at: this.now() }]);
    return reason;
  }

  /** Stops watching and disconnects (attempts still waiting are settled by their runners' own stop). */
  async close(): Promise<void> {
    clearInterval(this.watchdog);
    await Promise.all([...this.events, ...this.queues.values()].map((q) => q.close().catch(() => undefined)));
  }
}
