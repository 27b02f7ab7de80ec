import { ExperimentRecord, Rejection, TrialRecord, TrialState } from './trial.types';
import { CurvePoint } from './ports/trial-repository.port';

/** A trial as REST and `--json` show it. */
export interface TrialView {
  id: number;
  number: number;
  state: TrialState;
  params: TrialRecord['params'];
  metrics: TrialRecord['metrics'];
  value: number | null;
  error: string | null;
  interrupted: boolean;
  /** The number of the trial whose parameters this one runs again. */
  repeatOf: number | null;
  /** Why: that trial was interrupted, or it failed and the retry policy runs it again. */
  repeatReason: TrialRecord['repeatReason'];
  /** Retries between it and the first trial of its chain. */
  retryNumber: number;
  /** A failed trial whose retry was queued (it counts once, through the retry). */
  retried: boolean;
  /** Its parameters were queued by a user (`hpo enqueue`, `POST …/trials`), not suggested by the sampler. */
  enqueued: boolean;
  /** Why it failed. */
  failure: TrialRecord['failure'];
  /** How many times it was claimed to run. */
  attempt: number;
  backend: string | null;
  lastStep: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** Shapes a trial for output. */
export function trialView(t: TrialRecord): TrialView {
  return {
    id: t.id,
    number: t.number,
    state: t.state,
    params: t.params,
    metrics: t.metrics,
    value: t.value,
    error: t.error,
    interrupted: t.interrupted,
    repeatOf: t.repeatOfNumber,
    repeatReason: t.repeatReason,
    retryNumber: t.retryNumber,
    retried: t.retried,
    enqueued: t.enqueued,
    failure: t.failure,
    attempt: t.attempt,
    backend: t.backend,
    lastStep: t.lastStep,
    startedAt: iso(t.startedAt),
    finishedAt: iso(t.finishedAt),
    durationMs: t.startedAt !== null && t.finishedAt !== null ? t.finishedAt - t.startedAt : null,
  };
}

/** One trial of a chain of repeats, as the detail of a trial shows it. */
export interface ChainLink {
  number: number;
  state: TrialState;
  failure: TrialRecord['failure'];
  repeatReason: TrialRecord['repeatReason'];
}

/** A trial with its learning curve, the chain of trials that ran its parameters, and the reports and results it refused. */
export interface TrialDetailView extends TrialView {
  curve: Record<string, { step: number; value: number }[]>;
  chain: ChainLink[];
  rejections: { attempt: number; kind: Rejection['kind']; detail: string; at: string }[];
}

/** A trial with its learning curve: every intermediate metric, by name, as step/value points. */
export function trialDetailView(t: TrialRecord, curve: CurvePoint[], chain: readonly TrialRecord[], rejections: readonly Rejection[]): TrialDetailView {
  const byName: Record<string, { step: number; value: number }[]> = {};
  for (const p of curve) (byName[p.name] ??= []).push({ step: p.step, value: p.value });
  return {
    ...trialView(t),
    curve: byName,
    chain: chain.map((c) => ({ number: c.number, state: c.state, failure: c.failure, repeatReason: c.repeatReason })),
    rejections: rejections.map((r) => ({ attempt: r.attempt, kind: r.kind, detail: r.detail, at: new Date(r.at).toISOString() })),
  };
}

/** How many trials of an experiment run at once, and what capped it. */
export interface ParallelismView {
  /** `budget.parallelism` of the config. */
  requested: number;
  /** What this process runs. */
  effective: number;
  /** Why `effective` is lower, in words. */
  cappedBy?: string;
}

/** An experiment as REST and `--json` show it. */
export interface ExperimentView {
  id: number;
  name: string;
  state: ExperimentRecord['state'];
  stopReason: string | null;
  objective: ExperimentRecord['spec']['objective'];
  algorithm: string;
  dataset: string | null;
  createdAt: string;
  finishedAt: string | null;
  elapsedMs: number;
  /** What the registry did with it when it ended, when it has a `registry:` section. */
  promotion: ExperimentRecord['promotion'];
  /** The key that submitted it over the network (null from the CLI or an open service). */
  submittedBy: string | null;
  /** The model it ended with, scored once on the dataset's test rows (`dataset.test`). */
  testScore: ExperimentRecord['testScore'];
  /** With several objectives: all of them (`objective` is the first). */
  objectives?: NonNullable<ExperimentRecord['spec']['objectives']>;
  /** The experiment whose finished trials its sampler read as history (`search.warmStart`). */
  warmStartFrom?: number;
  trialCounts?: Record<TrialState, number>;
  parallelism?: ParallelismView;
  bestTrial?: TrialView | null;
  spec?: ExperimentRecord['spec'];
}

/** Shapes an experiment for output; counts, best trial and spec when given. */
export function experimentView(
  e: ExperimentRecord,
  now: number,
  extra: Partial<Pick<ExperimentView, 'trialCounts' | 'bestTrial' | 'spec' | 'parallelism'>> = {},
): ExperimentView {
  return {
    id: e.id,
    name: e.name,
    state: e.state,
    stopReason: e.stopReason,
    objective: e.spec.objective,
    algorithm: e.spec.search.algorithm,
    dataset: e.dataset,
    createdAt: new Date(e.createdAt).toISOString(),
    finishedAt: iso(e.finishedAt),
    elapsedMs: (e.finishedAt ?? now) - (e.startedAt ?? e.createdAt),
    promotion: e.promotion,
    submittedBy: e.submittedBy,
    testScore: e.testScore,
    ...(e.spec.objectives ? { objectives: e.spec.objectives } : {}),
    ...(e.spec.search.warmStart ? { warmStartFrom: e.spec.search.warmStart.experiment } : {}),
    ...extra,
  };
}
