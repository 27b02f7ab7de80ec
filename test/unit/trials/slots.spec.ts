import { TrialConfig } from '../../../src/config/experiment-spec.types';
import { MemoryStore } from '../../../src/storage/memory/memory-store';
import { ExperimentService } from '../../../src/trials/experiment.service';
import { sampleSpec } from '../../support/sample-spec';

const tfjsTrial = {
  kind: 'tfjs',
  task: 'classification',
  model: 'mlp',
  dataset: { path: '/x.csv', target: 'y', validation: { fraction: 0.2, seed: 1 } },
  epochs: 1,
  batchSize: 8,
} as TrialConfig;
const budget = (parallelism: number) => ({ ...sampleSpec().budget, maxTrials: 9, parallelism, trialTimeoutSec: 9, maxFailedTrials: 9 });

describe('worker slots of an experiment', () => {
  const service = (native: boolean) =>
    new ExperimentService(new MemoryStore(), { artifactsDir: '/tmp', machineSlots: 4, probe: { nativeTfjsBinding: () => native } });

  it('is the parallelism, capped by the machine, and says why when capped', () => {
    expect(service(false).slotsFor(sampleSpec({ budget: budget(2) }))).toBe(2);
    expect(service(false).parallelismOf(sampleSpec({ budget: budget(2) }))).toEqual({ requested: 2, effective: 2 });
    expect(service(false).parallelismOf(sampleSpec({ budget: budget(16) }))).toEqual({
      requested: 16,
      effective: 4,
      cappedBy: 'this process has 4 worker slots (the CPU cores, or HPO_SLOTS)',
    });
  });

  it('is one for tfjs trials when a native binding is installed (it loads in one thread per process)', () => {
    const spec = sampleSpec({ trial: tfjsTrial, budget: budget(4) });
    expect(service(true).slotsFor(spec)).toBe(1);
    expect(service(true).parallelismOf(spec).cappedBy).toMatch(/native TensorFlow.js binding/);
    expect(service(false).slotsFor(spec)).toBe(4);
    expect(service(true).slotsFor({ ...spec, trial: { kind: 'module', module: '/m.js', export: 'objective' } as TrialConfig })).toBe(4);
  });
});
