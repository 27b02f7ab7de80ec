import type { ExperimentSpec, RetryClass } from '../../config/experiment-spec.types';
import type { FailureKind, TrialRecord } from '../trial.types';

/** The retry class of a failure kind; none for stops from outside (cancel, interrupt), which a resume runs again anyway. */
export function retryClassOf(failure: FailureKind | null): RetryClass | undefined {
  switch (failure) {
    case 'crash':
    case 'lost':
      return 'crash';
    case 'timeout':
      return 'timeout';
    case 'error':
    case 'oom':
      return 'error';
    default:
      return undefined;
  }
}

/**
 * Whether a finished trial's parameters run again under the experiment's retry policy: it failed,
 * its failure is of a class the policy retries, and its chain has retries left.
 */
export function retryDecision(
  trial: Pick<TrialRecord, 'state' | 'failure' | 'retryNumber'>,
  budget: Pick<ExperimentSpec['budget'], 'maxRetries' | 'retryOn'>,
): boolean {
  if (trial.state !== 'FAILED') return false;
  const kind = retryClassOf(trial.failure);
  return kind !== undefined && budget.retryOn.includes(kind) && trial.retryNumber < budget.maxRetries;
}
