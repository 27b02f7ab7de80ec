import { StepValue } from '../../search/history.types';
import { TrialResult } from '../trial.types';
import { PoolRunResult } from '../pool/trial-executor';

/**
 * Turns what the pool returned into the trial's stored result: the objective value is read from
 * the final metrics (a pruned trial keeps its last intermediate value); a missing or non-finite
 * objective fails the trial with a message that says which metrics came back.
 */
export function toTrialResult(
  run: PoolRunResult,
  objectiveMetric: string,
  curve: readonly StepValue[],
  lastStep: number | null,
  artifactDir: string,
  /** The other objectives' metrics, which a complete trial must report too. */
  otherObjectives: readonly string[] = [],
): TrialResult {
  const base = { backend: null, lastStep, artifactDir };
  if (!run.ok) {
    const stoppedFromOutside = run.reason === 'cancelled' || run.reason === 'interrupted';
    return {
      ...base,
      state: 'FAILED',
      metrics: null,
      value: null,
      error: run.message,
      failure: run.reason,
      ...(stoppedFromOutside ? { interrupted: true } : {}),
    };
  }
  const { outcome } = run;
  const metrics = outcome.metrics ?? {};
  const backend = outcome.backend ?? null;
  const files = outcome.artifactFiles && outcome.artifactFiles.length > 0 ? artifactDir : null;
  if (outcome.pruned) {
    const last = curve.length > 0 ? curve[curve.length - 1].value : null;
    const value = Number.isFinite(metrics[objectiveMetric]) ? metrics[objectiveMetric] : last;
    return { ...base, backend, artifactDir: files, state: 'PRUNED', metrics, value, error: null };
  }
  const value = metrics[objectiveMetric];
  if (value === undefined) {
    const got = Object.keys(metrics).join(', ') || 'none';
    return {
      ...base,
      backend,
      artifactDir: files,
      state: 'FAILED',
      metrics,
      value: null,
      error: `the objective metric "${objectiveMetric}" is missing from the trial's final metrics (got: ${got})`,
    };
  }
  const failed = (error: string): TrialResult => ({ ...base, backend, artifactDir: files, state: 'FAILED', failure: 'error', metrics, value: null, error });
  if (!Number.isFinite(value)) return failed(`the objective metric "${objectiveMetric}" is ${value}`);
  const missing = otherObjectives.filter((m) => typeof metrics[m] !== 'number' || !Number.isFinite(metrics[m]));
  if (missing.length > 0) {
    const names = missing.map((m) => `"${m}"`).join(', ');
    return failed(
      `the objective metric${missing.length > 1 ? 's' : ''} ${names} ${missing.length > 1 ? 'are' : 'is'} missing or not finite in the trial's final metrics`,
    );
  }
  return { ...base, backend, artifactDir: files, state: 'COMPLETE', metrics, value, error: null };
}
