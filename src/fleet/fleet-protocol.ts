import type { Metrics } from '../models/metrics/metrics.types';
import type { PoolRunResult, TrialRunRequest } from '../trials/pool/trial-executor';

/** The BullMQ queue trials of every experiment go on (one job per attempt). */
export const TRIAL_QUEUE = 'trials';
/** The queue of trials that need a GPU (`trial.resources.gpu: 1`): only GPU slots take from it. */
export const GPU_TRIAL_QUEUE = 'trials-gpu';

/** The queue of a trial's resource class. */
export function queueFor(trial: { resources?: { gpu?: number } }): string {
  return (trial.resources?.gpu ?? 0) > 0 ? GPU_TRIAL_QUEUE : TRIAL_QUEUE;
}

/** Redis key prefix unless `HPO_QUEUE_PREFIX` names another (tests use one each). */
export const DEFAULT_QUEUE_PREFIX = 'hpo';

/** Where the worker-facing routes live under the service's `/api`. */
export const FLEET_ROUTES = {
  queue: 'fleet/queue',
  heartbeat: 'fleet/workers/heartbeat',
  report: (trialId: number, attempt: number) => `fleet/attempts/${trialId}/${attempt}/reports`,
  result: (trialId: number, attempt: number) => `fleet/attempts/${trialId}/${attempt}/result`,
  artifact: (trialId: number, attempt: number, name: string) => `fleet/attempts/${trialId}/${attempt}/artifacts/${encodeURIComponent(name)}`,
  file: (sha256: string) => `fleet/files/${sha256}`,
} as const;

/** The job id of one attempt of one trial: a retry or a rerun is a new job, never a replay of an old one. */
export function attemptJobId(trialId: number, attempt: number): string {
  return `trial-${trialId}-attempt-${attempt}`;
}

/** A file a trial reads (its module, its dataset), sent by content: the worker fetches it by hash. */
export interface TrialInput {
  /** Which field of the trial section names the file, dotted: `module`, `dataset.path`. */
  field: string;
  sha256: string;
  /** Its base name (kept so the extension still tells the loader what it is). */
  name: string;
  bytes: number;
}

/** What a job carries: the run request as the scheduler built it, plus what a remote worker needs. */
export interface TrialJobData {
  experimentId: number;
  request: TrialRunRequest;
  memoryMb: number;
  timeoutMs: number;
  inputs: TrialInput[];
  /** The scheduler process that enqueued it (its owner id in the store). */
  owner: string;
}

/** Worker → service: an intermediate report of an attempt. */
export interface ReportBody {
  seq: number;
  step: number;
  metrics: Metrics;
}

/** Service → worker: go on, prune (the pruner's answer) or cancel (the experiment was cancelled, or the attempt lost its trial). */
export interface ReportReply {
  prune: boolean;
  cancel: boolean;
}

/** Worker → service: how an attempt ended (artifacts already uploaded). */
export interface ResultBody {
  result: PoolRunResult;
  worker: string;
}

/** Service → worker: whether the result was applied (false: refused, the attempt no longer held its trial). */
export interface ResultReply {
  accepted: boolean;
  reason?: string;
}

/** One attempt a worker runs now. */
export interface RunningAttempt {
  trialId: number;
  attempt: number;
  experimentId: number;
}

/** Worker → service, every second: who it is, what it runs. */
export interface HeartbeatBody {
  id: string;
  host: string;
  pid: number;
  slots: number;
  gpus: number[];
  tags: string[];
  running: RunningAttempt[];
  startedAt: number;
  /** Set on its last heartbeat by a worker that stops gracefully. */
  leaving?: boolean;
}

/** Service → worker: the attempts it runs that should stop (cancelled, or no longer theirs). */
export interface HeartbeatReply {
  cancel: RunningAttempt[];
}
