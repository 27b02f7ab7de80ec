import { MessagePort } from 'node:worker_threads';
import { TrialConfig } from '../../config/experiment-spec.types';
import { Params } from '../../search/space/space.types';
import { TrialOutcome } from '../kinds/runtime.types';
import { Metrics } from '../../models/metrics/metrics.types';

/** What the main thread sends a worker to run one trial. */
export interface TrialTask {
  trialId: number;
  /** The experiment the trial belongs to (a remote worker reports it back; threads ignore it). */
  experimentId?: number;
  trialNumber: number;
  /** The trial's memory bound in MB (set by the pool that runs it). */
  memoryMb: number;
  /** The attempt this run is: every report it sends is stored only while this attempt holds the trial. */
  attempt: number;
  seed: number;
  artifactDir: string;
  objectiveMetric: string;
  trial: TrialConfig;
  params: Params;
  /** The worker's end of the trial's channel; the main thread keeps the other. */
  port: MessagePort;
}

/** Worker → main: intermediate metrics at a step; answered by an `ack`. */
export interface ReportMessage {
  type: 'report';
  seq: number;
  step: number;
  metrics: Metrics;
}

/** Main → worker: the report `seq` is stored; `prune` is the pruner's decision. */
export interface AckMessage {
  type: 'ack';
  seq: number;
  prune: boolean;
}

/** Main → worker: cancel or timeout; the trial's `ctx.signal` aborts, the thread is ended after a grace period. */
export interface AbortMessage {
  type: 'abort';
  reason: string;
}

/** What a worker returns for a trial that did not throw. */
export type TrialTaskResult = TrialOutcome;
