import type { ExperimentSpec } from '../config/experiment-spec.types';
import { BadRequestError, ForbiddenError, Problem } from '../domain/errors';
import { findTrialKind } from './kinds/registry';

/** Ceilings the operator sets on any experiment's budget (`HPO_MAX_TRIALS`, `HPO_MAX_PARALLELISM`). */
export interface BudgetLimits {
  maxTrials: number;
  maxParallelism: number;
}

/** Who submits an experiment and what they may do; the CLI on its own database passes nothing (no limits). */
export interface Submission {
  /** The submitting key's name, recorded on the experiment and counted against `maxRunning`. */
  by?: string;
  /** False when the caller may not run user code (module and command trials need the admin scope). */
  mayRunCode?: boolean;
  /** The most experiments `by` may have RUNNING at once. */
  maxRunning?: number;
}

/**
 * Refuses a config whose trial kind runs user code for a caller who may not, before anything of
 * the config is read: validating a module or command config touches files.
 */
export function refuseUserCode(raw: unknown, submission: Submission): void {
  if (submission.mayRunCode !== false) return;
  const kind = (raw as { trial?: { kind?: unknown } } | null)?.trial?.kind;
  if (typeof kind === 'string' && findTrialKind(kind)?.runsUserCode)
    throw new ForbiddenError(`trial.kind ${kind} runs code on the service's machines: it needs a key with the admin scope`);
}

/** Problems of a budget (or a change of one) over the operator's ceilings. */
export function budgetOverLimits(
  budget: Partial<Pick<ExperimentSpec['budget'], 'maxTrials' | 'parallelism'>>,
  limits: BudgetLimits | undefined,
  path = 'budget',
): void {
  if (!limits) return;
  const problems: Problem[] = [];
  if (budget.maxTrials !== undefined && budget.maxTrials > limits.maxTrials)
    problems.push({ path: `${path}.maxTrials`, message: `must be at most ${limits.maxTrials} on this service (HPO_MAX_TRIALS)` });
  if (budget.parallelism !== undefined && budget.parallelism > limits.maxParallelism)
    problems.push({ path: `${path}.parallelism`, message: `must be at most ${limits.maxParallelism} on this service (HPO_MAX_PARALLELISM)` });
  if (problems.length) throw new BadRequestError(problems);
}
