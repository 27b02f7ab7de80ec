import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import Piscina from 'piscina';
import { PoolRunOptions, PoolRunResult, TrialExecutor, TrialRunRequest } from './trial-executor';
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

/** Worker threads this machine offers: `HPO_MAX_SLOTS` or the number of CPUs. */
export function machineSlots(): number {
  const fromEnv = Number(process.env.HPO_MAX_SLOTS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : availableParallelism();
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

  constructor(size: number) {
    this.size = size;
    this.piscina = this.createPiscina();
  }

  private createPiscina(): Piscina {
    const piscina = new Piscina({ filename: workerFile(), minThreads: this.size, maxThreads: this.size, idleTimeout: 60_000, concurrentTasksPerWorker: 1 });
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
    let stopReason: 'timeout' | 'cancelled' | undefined;
    const requestStop = (reason: 'timeout' | 'cancelled'): void => {
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
    const onCancel = (): void => requestStop('cancelled');
    if (options.signal.aborted) onCancel();
    else options.signal.addEventListener('abort', onCancel, { once: true });
    const used = this.piscina;
    this.inFlight.set(used, (this.inFlight.get(used) ?? 0) + 1);
    try {
      const outcome: TrialTaskResult = await used.run({ ...task, port: port2 }, { transferList: [port2] as any, signal: hardStop.signal });
      if (stopReason) return { ok: false, reason: stopReason, message: stopMessage(stopReason, options.timeoutMs) };
      return { ok: true, outcome };
    } catch (error) {
      if (stopReason) return { ok: false, reason: stopReason, message: stopMessage(stopReason, options.timeoutMs) };
      return { ok: false, reason: 'error', message: errorMessage(error) };
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

function stopMessage(reason: 'timeout' | 'cancelled', timeoutMs: number): string {
  return reason === 'timeout' ? `timed out after ${timeoutMs / 1000} s` : 'cancelled';
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
