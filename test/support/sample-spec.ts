import { ExperimentSpec, TrialConfig } from '../../src/config/experiment-spec.types';
import { TrialResult } from '../../src/trials/trial.types';
import { ModuleTrialConfig } from '../../src/trials/kinds/module/module.config';

/** A small valid module-objective experiment spec for storage and scheduler tests. */
export function sampleSpec(overrides: Partial<ExperimentSpec> = {}): ExperimentSpec {
  return {
    name: 'sample',
    objective: { metric: 'loss', direction: 'minimize' },
    space: { x: { type: 'float', low: -5, high: 5 }, k: { type: 'int', low: 1, high: 4 } },
    search: { algorithm: 'random', seed: 1, settings: {} },
    budget: { maxTrials: 5, parallelism: 1, trialTimeoutSec: 30, maxFailedTrials: 3, maxRetries: 0, retryOn: ['crash'], priority: 1 },
    pruning: { algorithm: 'none', settings: {} },
    trial: { kind: 'module', module: '/dev/null', export: 'objective' } satisfies ModuleTrialConfig as TrialConfig,
    ...overrides,
  };
}

/** How a trial that completed with `value` ends (its only metric `loss`, unless given). */
export function completeResult(value: number, metrics: Record<string, number> = { loss: value }): TrialResult {
  return { state: 'COMPLETE', metrics, value, error: null, backend: null, lastStep: null, artifactDir: null };
}
