import { ExperimentRecord, ExperimentState, TrialRecord, TrialState } from '../../trials/trial.types';
import type { TrialChange } from '../../trials/ports/trial-query.port';

/** A `trial` row as the drivers return it. */
export interface TrialRow {
  id: number;
  experiment_id: number;
  number: number;
  state: string;
  params: string;
  metrics: string | null;
  value: number | null;
  error: string | null;
  interrupted: number | boolean;
  repeat_of: number | null;
  repeat_of_number: number | null;
  repeat_reason: string | null;
  retried: number | boolean;
  retry_number: number;
  enqueued?: number | boolean;
  failure: string | null;
  attempt: number;
  worker: string | null;
  runner?: string | null;
  lease_until: number | string | null;
  backend: string | null;
  last_step: number | null;
  artifact_dir: string | null;
  created_at: number | string;
  started_at: number | string | null;
  finished_at: number | string | null;
}

/** An `experiment` row as the drivers return it. */
export interface ExperimentRow {
  id: number;
  name: string;
  state: string;
  spec: string;
  dataset: string | null;
  stop_reason: string | null;
  promotion: string | null;
  test_score?: string | null;
  owner: string | null;
  heartbeat_at: number | string | null;
  created_at: number | string;
  started_at: number | string | null;
  finished_at: number | string | null;
  submitted_by?: string | null;
}

const num = (v: number | string | null): number | null => (v === null || v === undefined ? null : Number(v));

/** Turns a stored trial row into the record the service passes around. */
export function toTrialRecord(row: TrialRow): TrialRecord {
  return {
    id: Number(row.id),
    experimentId: Number(row.experiment_id),
    number: Number(row.number),
    state: row.state as TrialState,
    params: JSON.parse(row.params),
    metrics: row.metrics ? JSON.parse(row.metrics) : null,
    value: num(row.value),
    error: row.error,
    interrupted: row.interrupted === true || row.interrupted === 1,
    repeatOf: num(row.repeat_of),
    repeatOfNumber: num(row.repeat_of_number ?? null),
    repeatReason: (row.repeat_reason ?? null) as TrialRecord['repeatReason'],
    retried: row.retried === true || row.retried === 1,
    retryNumber: Number(row.retry_number ?? 0),
    enqueued: row.enqueued === true || row.enqueued === 1,
    failure: (row.failure ?? null) as TrialRecord['failure'],
    attempt: Number(row.attempt ?? 0),
    worker: row.worker ?? null,
    runner: row.runner ?? null,
    leaseUntil: num(row.lease_until ?? null),
    backend: row.backend,
    lastStep: num(row.last_step),
    artifactDir: row.artifact_dir,
    createdAt: Number(row.created_at),
    startedAt: num(row.started_at),
    finishedAt: num(row.finished_at),
  };
}

/** The columns of the dashboard's narrow read of a trial (see `TrialChange`), in the order {@link trialChangeOf} reads them. */
export const TRIAL_CHANGE_COLUMNS = 'id, number, state, params, value, started_at, finished_at, worker, runner, failure, last_step, attempt';

/** The dashboard's narrow read of a trial, from a row of {@link TRIAL_CHANGE_COLUMNS} as an array (no object per row from the driver). */
export function trialChangeOf(row: unknown[]): TrialChange {
  const [id, number, state, params, value, startedAt, finishedAt, worker, runner, failure, lastStep, attempt] = row as [
    number,
    number,
    string,
    string,
    number | null,
    number | string | null,
    number | string | null,
    string | null,
    string | null,
    string | null,
    number | null,
    number | null,
  ];
  return {
    id: Number(id),
    number: Number(number),
    state: state as TrialState,
    params: JSON.parse(params),
    value: num(value),
    startedAt: num(startedAt),
    finishedAt: num(finishedAt),
    worker: worker ?? null,
    runner: runner ?? null,
    failure: (failure ?? null) as TrialChange['failure'],
    lastStep: num(lastStep),
    attempt: Number(attempt ?? 0),
  };
}

/** Turns a stored experiment row into a record with its parsed spec. */
export function toExperimentRecord(row: ExperimentRow): ExperimentRecord {
  return {
    id: Number(row.id),
    name: row.name,
    state: row.state as ExperimentState,
    spec: JSON.parse(row.spec),
    dataset: row.dataset,
    stopReason: row.stop_reason,
    promotion: row.promotion ? JSON.parse(row.promotion) : null,
    testScore: row.test_score ? JSON.parse(row.test_score) : null,
    owner: row.owner ?? null,
    heartbeatAt: num(row.heartbeat_at ?? null),
    createdAt: Number(row.created_at),
    startedAt: num(row.started_at),
    finishedAt: num(row.finished_at),
    submittedBy: row.submitted_by ?? null,
  };
}
