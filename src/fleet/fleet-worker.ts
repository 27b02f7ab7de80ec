import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Job, Worker } from 'bullmq';
import { ExecutorFactory, INTERRUPT_REASON, PoolRunResult, TrialExecutor } from '../trials/pool/trial-executor';
import { TrialPool } from '../trials/pool/trial-pool';
import { FLEET_ROUTES, HeartbeatBody, HeartbeatReply, ReportReply, ResultReply, RunningAttempt, TRIAL_QUEUE, TrialJobData } from './fleet-protocol';
import { InputCache } from './input-cache';
import { KindLimits } from './kind-limits';
import { nativeBindingProbe } from '../trials/kinds/tfjs/tfjs.kind';
import type { RuntimeProbe } from '../trials/kinds/trial-kind.types';
import { sha256Of } from './input-catalog';
import { readyWithin, redisConnection, throttledWarning } from './redis-connection';
import { ServiceClient, ServiceError } from './service-client';
import { withLocalInputs } from './trial-inputs';

/** How long a worker's hold on a job lasts unless renewed (BullMQ renews it at half); a dead worker's job is found stalled after about this. */
export const DEFAULT_JOB_LOCK_MS = 10_000;
/** How often a worker tells the services what it runs. */
export const HEARTBEAT_MS = 1_000;

/** What `hpo worker` is given. */
export interface FleetWorkerOptions {
  queueUrl: string;
  /** The Redis key prefix the services were started with; the queues of their database lie under it (the worker asks them where). */
  prefix: string;
  /** The services' addresses (`http://host:3000`), tried in order. */
  apis: string[];
  /** Sent as `Authorization: Bearer KEY` on every call. */
  key?: string;
  slots: number;
  gpus: number[];
  tags: string[];
  /** Where fetched input files are kept. */
  cacheDir: string;
  /** Where each attempt's artifact folder is made (and removed once uploaded). */
  workDir: string;
  lockMs?: number;
  /** The queue it takes from: the CPU queue, or the GPU queue for a GPU slot. */
  queueName?: string;
  /** The worker's name in `hpo workers` (a new one per process unless given). */
  id?: string;
  /** Where trials run (piscina pools unless replaced). */
  executors?: ExecutorFactory;
  /** What the kinds' slot rules may ask about this process (whether a native tfjs binding loads). */
  probe?: RuntimeProbe;
}

/**
 * `hpo worker`: takes trial attempts from the BullMQ queue (`slots` at a time), fetches their input
 * files by hash, runs them in its own piscina pool, streams reports to the scheduler and follows its
 * answers (prune, cancel), uploads the artifact with checksums, and sends the result. It heartbeats
 * every second; the services answer with the attempts it should stop. It never writes a record.
 */
export class FleetWorker {
  readonly id: string;
  private worker: Worker<TrialJobData> | undefined;
  private readonly client: ServiceClient;
  private readonly inputs: InputCache;
  private readonly running = new Map<string, { attempt: RunningAttempt; abort: AbortController }>();
  private readonly pools = new Map<number, TrialExecutor>();
  private readonly startedAt = Date.now();
  private heartbeats: NodeJS.Timeout | undefined;
  private readonly kindLimits: KindLimits;
  private readonly reconnect = { stopped: false };

  constructor(private readonly options: FleetWorkerOptions) {
    this.id = options.id ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.client = new ServiceClient(options.apis, options.key);
    this.inputs = new InputCache(options.cacheDir, this.client);
    this.kindLimits = new KindLimits(options.probe ?? nativeBindingProbe);
  }

  /** Attempts it runs now. */
  get busy(): number {
    return this.running.size;
  }

  /** Connects to the queue and starts taking jobs. */
  async start(): Promise<void> {
    await this.client.checkAccess(FLEET_ROUTES.heartbeat, this.heartbeatBody());
    const lockMs = this.options.lockMs ?? DEFAULT_JOB_LOCK_MS;
    // Each database's jobs lie under a prefix of their own: the service says which (and so a worker never takes another database's jobs).
    const { prefix } = await this.client.getJson<{ prefix: string }>(FLEET_ROUTES.queue);
    if (prefix !== this.options.prefix && !prefix.startsWith(`${this.options.prefix}:`)) {
      throw new Error(`the service at ${this.options.apis.join(', ')} uses the queue prefix ${prefix}, not one under HPO_QUEUE_PREFIX=${this.options.prefix}`);
    }
    this.worker = new Worker<TrialJobData>(this.options.queueName ?? TRIAL_QUEUE, (job) => this.process(job), {
      connection: redisConnection(this.options.queueUrl, this.reconnect),
      prefix,
      concurrency: this.options.slots,
      lockDuration: lockMs,
      stalledInterval: lockMs,
      // A job whose worker died is failed at once rather than given to another worker as the same attempt: the scheduler retries it as a new attempt.
      maxStalledCount: 0,
    });
    this.worker.on('error', throttledWarning('queue'));
    try {
      await readyWithin(this.worker.waitUntilReady(), this.options.queueUrl);
    } catch (error) {
      this.reconnect.stopped = true;
      void this.worker.disconnect().catch(() => undefined);
      throw error;
    }
    this.heartbeats = setInterval(() => void this.beat(), HEARTBEAT_MS).unref();
    void this.beat();
  }

  private heartbeatBody(leaving = false): HeartbeatBody {
    return {
      id: this.id,
      host: hostname(),
      pid: process.pid,
      slots: this.options.slots,
      gpus: this.options.gpus,
      tags: this.options.tags,
      running: [...this.running.values()].map((r) => r.attempt),
      startedAt: this.startedAt,
      ...(leaving ? { leaving } : {}),
    };
  }

  private async beat(leaving = false): Promise<void> {
    const replies = await this.client.postToAll<HeartbeatReply>(FLEET_ROUTES.heartbeat, this.heartbeatBody(leaving));
    for (const reply of replies) {
      for (const c of reply?.cancel ?? []) {
        for (const r of this.running.values()) if (r.attempt.trialId === c.trialId && r.attempt.attempt === c.attempt) r.abort.abort();
      }
    }
  }

  private poolFor(memoryMb: number): TrialExecutor {
    let pool = this.pools.get(memoryMb);
    if (!pool) {
      pool = this.options.executors ? this.options.executors(this.options.slots, memoryMb) : new TrialPool(this.options.slots, memoryMb);
      this.pools.set(memoryMb, pool);
    }
    return pool;
  }

  /** Runs one attempt and sends its result; the job's return value is the service's answer. */
  private async process(job: Job<TrialJobData>): Promise<ResultReply> {
    const { request, experimentId } = job.data;
    const jobId = job.id ?? `${request.trialId}-${request.attempt}`;
    const attempt: RunningAttempt = { trialId: request.trialId, attempt: request.attempt, experimentId };
    const ref = { experimentId, trialNumber: request.trialNumber };
    const abort = new AbortController();
    this.running.set(jobId, { attempt, abort });
    void this.beat();
    const dir = join(this.options.workDir, jobId.replace(/[^A-Za-z0-9._-]/g, '_'));
    mkdirSync(dir, { recursive: true });
    try {
      let result = await this.runTrial(job.data, dir, abort, ref);
      if (result.ok) result = await this.upload(result, dir, attempt);
      return await this.client.postJson<ResultReply>(FLEET_ROUTES.result(attempt.trialId, attempt.attempt), { ...ref, result, worker: this.id });
    } finally {
      this.running.delete(jobId);
      rmSync(dir, { recursive: true, force: true });
    }
  }

  private async runTrial(data: TrialJobData, dir: string, abort: AbortController, ref: { experimentId: number; trialNumber: number }): Promise<PoolRunResult> {
    const { request } = data;
    let seq = 0;
    const release = await this.kindLimits.acquire(request.trial.kind);
    try {
      const local = await this.inputs.localPaths(data.inputs);
      const trial = withLocalInputs(request.trial, data.inputs, local);
      return await this.poolFor(data.memoryMb).run(
        { ...request, trial, artifactDir: dir },
        {
          timeoutMs: data.timeoutMs,
          signal: abort.signal,
          onReport: async (step, metrics) => {
            const reply = await this.client.postJson<ReportReply>(FLEET_ROUTES.report(request.trialId, request.attempt), { ...ref, seq: ++seq, step, metrics });
            if (reply.cancel) abort.abort();
            return reply.prune;
          },
        },
      );
    } catch (error) {
      return { ok: false, reason: 'error', message: `worker ${this.id}: ${(error as Error).message}` };
    } finally {
      release();
    }
  }

  /** Sends the artifact's files with their SHA-256; a refusal (the attempt lost its trial) leaves the result to be refused too. */
  private async upload(result: PoolRunResult & { ok: true }, dir: string, attempt: RunningAttempt): Promise<PoolRunResult> {
    try {
      for (const name of result.outcome.artifactFiles ?? []) {
        const bytes = readFileSync(join(dir, name));
        await this.client.putBytes(FLEET_ROUTES.artifact(attempt.trialId, attempt.attempt, name), bytes, sha256Of(bytes));
      }
      return result;
    } catch (error) {
      if (error instanceof ServiceError && error.status === 409) return result;
      return { ok: false, reason: 'error', message: `worker ${this.id}: the artifact could not be uploaded: ${(error as Error).message}` };
    }
  }

  /**
   * A graceful stop: no new jobs; running attempts get `graceMs` to finish, then are interrupted
   * (the scheduler runs them again) and their results sent; then the pools close.
   */
  async stop(graceMs: number): Promise<void> {
    const closing = this.worker?.close() ?? Promise.resolve();
    const timer = setTimeout(() => {
      for (const r of this.running.values()) r.abort.abort(INTERRUPT_REASON);
    }, graceMs);
    await closing;
    clearTimeout(timer);
    await this.close();
  }

  /** Stops heartbeats, tells the services it left, and closes the queue connection and pools. */
  async close(): Promise<void> {
    if (this.heartbeats) clearInterval(this.heartbeats);
    this.heartbeats = undefined;
    await this.worker?.close(true).catch(() => undefined);
    await this.beat(true).catch(() => undefined);
    await Promise.all([...this.pools.values()].map((p) => p.destroy().catch(() => undefined)));
    this.pools.clear();
  }
}
