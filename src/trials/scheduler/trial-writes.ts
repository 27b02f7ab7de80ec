import { Params } from '../../search/space/space.types';
import type { ExperimentStore } from '../ports/experiment-store.port';
import { IntermediateReport, Rejection, RepeatOf, TrialRecord, TrialResult } from '../trial.types';
import { DEFAULT_STORE_RETRY_SEC, retryStore, StoreRetryOptions } from './store-retry';

/**
 * The writes of one experiment's runner that must not be lost while the database is briefly away,
 * each tried again with backoff ({@link retryStore}) and made safe to try again: a try whose answer
 * was lost may have committed, so before trying again each write looks for its own effect in the
 * store, through the attempt fencing the records already carry, and does not apply it twice.
 */
export class TrialWrites {
  constructor(
    private readonly store: ExperimentStore,
    private readonly experimentId: number,
    private readonly retry: StoreRetryOptions = { patienceMs: DEFAULT_STORE_RETRY_SEC * 1000 },
  ) {}

  /** A read or an idempotent write, tried again while the store cannot be reached. */
  stored<T>(what: string, write: () => Promise<T>, recover?: () => Promise<T | undefined>): Promise<T> {
    return retryStore(what, write, this.retry, recover);
  }

  /**
   * Stores a new WAITING trial. Before a try again: a WAITING trial with the same parameters, repeat
   * link and creation time that the runner does not know yet (`known`) is the one the lost try stored.
   * `enqueued` carries a user's queued parameters' mark to their repeats.
   */
  createWaiting(params: Params, repeatOf: RepeatOf | null, at: number, known: () => Set<number>, enqueued = false): Promise<TrialRecord> {
    const key = paramsText(params);
    return this.stored(
      'a new trial',
      () => this.store.trials.createWaiting(this.experimentId, params, repeatOf, at, enqueued),
      async () => {
        const waiting = await this.store.trials.inStates(this.experimentId, ['WAITING']);
        const ids = known();
        return waiting.find((t) => t.createdAt === at && t.repeatOf === (repeatOf?.id ?? null) && !ids.has(t.id) && paramsText(t.params) === key);
      },
    );
  }

  /** `WAITING → RUNNING` for `owner`; before a try again, a trial RUNNING for `owner` since `at` is the lost try's claim. */
  claim(trial: TrialRecord, artifactDir: string, owner: string, leaseUntil: number, at: number): Promise<number> {
    return this.stored(
      `the claim of trial ${trial.number}`,
      () => this.store.trials.claim(trial.id, artifactDir, owner, leaseUntil, at),
      async () => {
        const now = await this.store.queries.byNumber(this.experimentId, trial.number);
        return now?.state === 'RUNNING' && now.worker === owner && now.startedAt === at ? now.attempt : undefined;
      },
    );
  }

  /**
   * `RUNNING →` a final state for this attempt (see the port). Before a try again: a trial that
   * already ended with this attempt, this state and this end time holds this write, which counts as
   * applied (once), not as refused.
   */
  finish(trial: TrialRecord, attempt: number, result: TrialResult, at: number): Promise<boolean> {
    return this.stored(
      `the result of trial ${trial.number}`,
      () => this.store.trials.finish(trial.id, attempt, this.experimentId, result, at),
      async () => {
        const now = await this.store.queries.byNumber(this.experimentId, trial.number);
        return now && now.attempt === attempt && now.state === result.state && now.finishedAt === at ? true : undefined;
      },
    );
  }

  /** Intermediate reports; storing one again overwrites its step with the same value, so a try again needs no check. */
  saveIntermediate(batch: readonly IntermediateReport[]): Promise<IntermediateReport[]> {
    return this.stored('intermediate reports', () => this.store.trials.saveIntermediate(batch));
  }

  /** Marks a failed trial retried; marking twice marks once. */
  markRetried(trial: TrialRecord): Promise<void> {
    return this.stored(`the retry mark of trial ${trial.number}`, () => this.store.trials.markRetried(trial.id));
  }

  /** Logs refused reports and results (a log: an insert tried again after its answer was lost may list one twice). */
  recordRejections(rejections: Rejection[]): Promise<void> {
    return this.stored('refusals', () => this.store.trials.recordRejections(rejections));
  }
}

/** Parameters as text with their names in order, so two equal sets compare equal whatever order a store gave them back in. */
function paramsText(params: Params): string {
  return JSON.stringify(Object.entries(params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
