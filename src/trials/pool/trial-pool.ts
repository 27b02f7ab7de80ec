import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import Piscina from 'piscina';
import { INTERRUPT_REASON, PoolRunOptions, PoolRunResult, TrialExecutor, TrialRunRequest } from './trial-executor';
import { ReportMessage, TrialTaskResult } from './worker-protocol';

/** After asking a trial to stop, the thread is ended if it has not finished within this many ms. */
export const ABORT_GRACE_MS = 2_000;

/** The compiled worker file: piscina needs JavaScript, so tests run against `dist/` after `npm run build`. */
export function workerFile(): string {
  const beside = join(__dirname, 'trial.worker.js');
  if (existsSync(beside)) return beside;
  const compiled = resolve(__dirname, '../../../dist/src/trials/pool/trial.worker.js');
  if (existsSync(compiled)) return compiled;
  throw new Error(`trial worker not built: run "npm run build" (looked for ${beside} and ${compiled})`);
}

/** The heap a trial's thread may use unless its config or `HPO_TRIAL_MEMORY_MB` says otherwise. */
export const DEFAULT_TRIAL_MEMORY_MB = 2048;

/** Worker slots of this process: `HPO_SLOTS` (or the older `HPO_MAX_SLOTS`), else the number of CPUs. */
export function machineSlots(env: NodeJS.ProcessEnv = process.env): number {
  for (const name of ['HPO_SLOTS', 'HPO_MAX_SLOTS']) {
    const n = Number(env[name]);
    if (Number.isInteger(n) && n > 0) return n;
  }
  return availableParallelism();
}

/**
 * A piscina pool with one trial per thread. A trial that throws, exits its thread or runs past its
 * timeout settles as a failure and piscina replaces the thread, so the pool keeps its size.
 */
export class TrialPool implements TrialExecutor {
  private piscina: Piscina;
  private readonly inFlight = new Map<Piscina, number>();
  private readonly lostThreads = new Map<Piscina, number>();
  private destroyed = false;
  readonly size: number;

  /**
   * `size` threads whose JavaScript heap is bounded by `memoryMb` each: a trial that allocates past
   * it ends its thread with an out-of-memory error (recorded as such) instead of growing the process.
   */
  constructor(
    size: number,
    readonly memoryMb: number = DEFAULT_TRIAL_MEMORY_MB,
  ) {
    this.size = size;
    this.piscina = this.createPiscina();
  }

  private createPiscina(): Piscina {
    const piscina = new Piscina({
      filename: workerFile(),
      minThreads: this.size,
      maxThreads: this.size,
      idleTimeout: 60_000,
      concurrentTasksPerWorker: 1,
      resourceLimits: { maxOldGenerationSizeMb: this.memoryMb },
      // Each trial's report channel is a MessagePort moved to the thread; read there through
      // piscina's Atomics path (receiveMessageOnPort), every moved port kept about 4 KB of native
      // memory for good (a process grew by hundreds of MB over 100k trials). Waiting on the event loop does not.
      atomics: 'disabled',
    });
    // Without a listener, a worker that fails to start would crash the whole process.
    piscina.on('error', (error: Error) => process.emitWarning(`trial worker error: ${error.message}`));
    piscina.on('workerDestroy', () => this.lostThreads.set(piscina, (this.lostThreads.get(piscina) ?? 0) + 1));
    this.inFlight.set(piscina, 0);
    this.lostThreads.set(piscina, 0);
    return piscina;
  }

  /**
   * After a thread dies (a trial that exits it, an uncaught error, a timeout that ends it), new
   * trials go to a fresh piscina and the old one is destroyed once its running trials settle.
   * Piscina's own replacement threads are not relied on: it stops replacing for good when a thread
   * dies before its start-up handshake, and under Jest's module sandbox its replacements never run.
   */
  private healAfterThreadLoss(used: Piscina): void {
    if (this.destroyed || used !== this.piscina || (this.lostThreads.get(used) ?? 0) === 0) return;
    this.piscina = this.createPiscina();
  }

  private retireIfIdle(instance: Piscina): void {
    if (instance !== this.piscina && this.inFlight.get(instance) === 0) {
      this.inFlight.delete(instance);
      this.lostThreads.delete(instance);
      void instance.destroy().catch(() => undefined);
    }
  }

  /** Runs one trial to its end; never rejects. */
  async run(task: TrialRunRequest, options: PoolRunOptions): Promise<PoolRunResult> {
    const { port1, port2 } = new MessageChannel();
    const hardStop = new AbortController();
    let stopReason: 'timeout' | 'cancelled' | 'interrupted' | undefined;
    const requestStop = (reason: 'timeout' | 'cancelled' | 'interrupted'): void => {
      if (stopReason) return;
      stopReason = reason;
      port1.postMessage({ type: 'abort', reason });
      setTimeout(() => hardStop.abort(), ABORT_GRACE_MS).unref();
    };
    port1.on('message', (msg: ReportMessage) => {
      if (msg.type !== 'report') return;
      options.onReport(msg.step, msg.metrics).then(
        (prune) => port1.postMessage({ type: 'ack', seq: msg.seq, prune }),
        () => port1.postMessage({ type: 'ack', seq: msg.seq, prune: false }),
      );
    });
    const timer = setTimeout(() => requestStop('timeout'), options.timeoutMs);
    const onCancel = (): void => requestStop(options.signal.reason === INTERRUPT_REASON ? 'interrupted' : 'cancelled');
    if (options.signal.aborted) onCancel();
    else options.signal.addEventListener('abort', onCancel, { once: true });
    const used = this.piscina;
    this.inFlight.set(used, (this.inFlight.get(used) ?? 0) + 1);
    try {
      const outcome: TrialTaskResult = await used.run(
        { ...task, memoryMb: this.memoryMb, port: port2 },
        { transferList: [port2] as any, signal: hardStop.signal },
      );
      if (stopReason) return { ok: false, reason: stopReason, message: stopMessage(stopReason, options.timeoutMs) };
      return { ok: true, outcome };
    } catch (error) {
      if (stopReason) return { ok: false, reason: stopReason, message: stopMessage(stopReason, options.timeoutMs) };
      return failureOf(error, this.memoryMb);
    } finally {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onCancel);
      port1.close();
      this.inFlight.set(used, (this.inFlight.get(used) ?? 1) - 1);
      this.healAfterThreadLoss(used);
      this.retireIfIdle(used);
    }
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    const all = [...this.inFlight.keys()];
    this.inFlight.clear();
    await Promise.all(all.map((p) => p.destroy().catch(() => undefined)));
  }
}

function stopMessage(reason: 'timeout' | 'cancelled' | 'interrupted', timeoutMs: number): string {
  return reason === 'timeout' ? `timed out after ${timeoutMs / 1000} s` : reason;
}

function errorMessage(error: unknown): string {
  // An error cloned out of a worker thread sometimes carries its name in its message ("Error: …") and sometimes not: store it one way.
  if (error instanceof Error) return (error.message || error.name).replace(/^Error: /, '');
  return String(error).replace(/^Error: /, '');
}

/** What a run that threw means: a thread that ran out of memory or died, or an error of the trial. */
function failureOf(error: unknown, memoryMb: number): PoolRunResult {
  const message = errorMessage(error);
  const code = (error as { code?: unknown })?.code;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY' || /^out of memory/.test(message)) {
    return { ok: false, reason: 'oom', message: /^out of memory/.test(message) ? message : `out of memory: the trial went past its ${memoryMb} MB bound` };
  }
  if (/^worker exited with code/i.test(message) || code === 'ERR_WORKER_INIT_FAILED') return { ok: false, reason: 'crash', message };
  return { ok: false, reason: 'error', message };
}
