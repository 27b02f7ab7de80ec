import { Metrics } from '../../src/models/metrics/metrics.types';
import { Params } from '../../src/search/space/space.types';
import { INTERRUPT_REASON, PoolRunOptions, PoolRunResult, TrialExecutor, TrialRunRequest } from '../../src/trials/pool/trial-executor';
import { TrialContext } from '../../src/trials/kinds/runtime.types';
import { metricsFromReturn } from '../../src/trials/kinds/module/objective-metrics';

/** An objective run in process by {@link FakeExecutor}: the same contract as a module trial's. */
export type FakeObjective = (params: Params, ctx: TrialContext, task: TrialRunRequest) => Promise<unknown>;

/**
 * Runs trials in this thread with an objective given by the test, with the pool's contract: a
 * report waits for the pruner's answer, a timeout or a cancel aborts `ctx.signal` and settles the
 * run as a failure, a throw is a failure with its message. No threads, no build.
 */
export class FakeExecutor implements TrialExecutor {
  /** The most trials this executor ran at the same time. */
  peakConcurrency = 0;
  private runningNow = 0;
  destroyed = false;
  /** The number of every trial it started, in order. */
  readonly started: number[] = [];
  /** How many trials run now. */
  get running(): number {
    return this.runningNow;
  }

  constructor(
    readonly size: number,
    private readonly objective: FakeObjective,
  ) {}

  async run(task: TrialRunRequest, options: PoolRunOptions): Promise<PoolRunResult> {
    this.runningNow++;
    this.peakConcurrency = Math.max(this.peakConcurrency, this.runningNow);
    const controller = new AbortController();
    let stopped: 'timeout' | 'cancelled' | 'interrupted' | undefined;
    const stop = (reason: 'timeout' | 'cancelled' | 'interrupted'): void => {
      stopped ??= reason;
      controller.abort(new Error(reason));
    };
    const timer = setTimeout(() => stop('timeout'), options.timeoutMs).unref();
    const onCancel = (): void => stop(options.signal.reason === INTERRUPT_REASON ? 'interrupted' : 'cancelled');
    this.started.push(task.trialNumber);
    if (options.signal.aborted) onCancel();
    else options.signal.addEventListener('abort', onCancel, { once: true });
    let prune = false;
    const ctx: TrialContext = {
      trialId: task.trialId,
      trialNumber: task.trialNumber,
      objectiveMetric: task.objectiveMetric,
      seed: task.seed,
      artifactDir: task.artifactDir,
      memoryMb: 2048,
      signal: controller.signal,
      shouldPrune: () => prune,
      report: async (step: number, metrics: Metrics) => {
        prune = (await options.onReport(step, metrics)) || prune;
      },
    };
    const aborted = new Promise<never>((_, reject) => controller.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));
    try {
      const returned = await Promise.race([this.objective(task.params, ctx, task), aborted]);
      if (stopped) return { ok: false, reason: stopped, message: stopped === 'timeout' ? `timed out after ${options.timeoutMs / 1000} s` : stopped };
      if (prune) return { ok: true, outcome: { metrics: returned === undefined ? {} : metricsFromReturn(returned, task.objectiveMetric), pruned: true } };
      return { ok: true, outcome: { metrics: metricsFromReturn(returned, task.objectiveMetric) } };
    } catch (error) {
      if (stopped) return { ok: false, reason: stopped, message: stopped === 'timeout' ? `timed out after ${options.timeoutMs / 1000} s` : stopped };
      // A test objective that throws `Object.assign(new Error(m), { failure: 'crash' })` plays a thread that died.
      const failure = (error as { failure?: 'crash' | 'oom' }).failure;
      return { ok: false, reason: failure ?? 'error', message: (error as Error).message };
    } finally {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onCancel);
      this.runningNow--;
    }
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
  }
}
