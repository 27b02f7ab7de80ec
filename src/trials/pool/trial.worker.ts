import { AckMessage, AbortMessage, TrialTask, TrialTaskResult } from './worker-protocol';
import { TrialContext, TrialRuntime } from '../kinds/runtime.types';
import { findTrialKind } from '../kinds/registry';
import { Metrics } from '../../models/metrics/metrics.types';

// Stdout carries the CLI's results (`hpo run --json` prints one document): whatever a trial prints,
// a user's objective or a library's banner, goes to stderr instead.
process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;

/** The runtime of a trial kind, loaded once per thread by the kind itself (importing TensorFlow.js takes time, so only when used). */
async function runtimeFor(kind: string): Promise<TrialRuntime<any>> {
  const entry = findTrialKind(kind);
  if (!entry) throw new Error(`unknown trial kind ${kind}`);
  return entry.loadRuntime();
}

/** Builds the trial's context: reports go over the task's port and wait for the main thread's answer. */
function contextFor(task: TrialTask, controller: AbortController): TrialContext & { close(): void } {
  let seq = 0;
  let prune = false;
  const waiting = new Map<number, () => void>();
  task.port.on('message', (msg: AckMessage | AbortMessage) => {
    if (msg.type === 'abort') controller.abort(new Error(msg.reason));
    if (msg.type !== 'ack') return;
    prune = prune || msg.prune;
    waiting.get(msg.seq)?.();
    waiting.delete(msg.seq);
  });
  return {
    trialId: task.trialId,
    trialNumber: task.trialNumber,
    objectiveMetric: task.objectiveMetric,
    seed: task.seed,
    artifactDir: task.artifactDir,
    memoryMb: task.memoryMb,
    signal: controller.signal,
    shouldPrune: () => prune,
    report(step: number, metrics: Metrics): Promise<void> {
      if (!Number.isFinite(step)) return Promise.reject(new Error(`report step must be a finite number, got ${step}`));
      const id = ++seq;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        task.port.postMessage({ type: 'report', seq: id, step, metrics: { ...metrics } });
      });
    },
    close: () => task.port.close(),
  };
}

/** The piscina task: runs one trial in this worker thread and returns its outcome (or throws). */
export default async function runTrial(task: TrialTask): Promise<TrialTaskResult> {
  const controller = new AbortController();
  const ctx = contextFor(task, controller);
  try {
    const runtime = await runtimeFor(task.trial.kind);
    return await runtime.run(task.trial, task.params, ctx);
  } finally {
    ctx.close();
  }
}
