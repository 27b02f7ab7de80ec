import { ExperimentService } from '../../../src/trials/experiment.service';
import { Store } from '../../../src/storage/store';
import { sampleSpec } from '../../support/sample-spec';

const tfjsTrial = { kind: 'tfjs' as const, task: 'classification' as const, model: 'mlp' as const, dataset: { path: '/x.csv', target: 'y', validation: { fraction: 0.2, seed: 1 } }, epochs: 1, batchSize: 8 };

describe('worker slots of an experiment', () => {
  const service = (native: boolean) => new ExperimentService({} as Store, { artifactsDir: '/tmp', nativeBackend: () => native });
  const previous = process.env.HPO_MAX_SLOTS;
  beforeAll(() => (process.env.HPO_MAX_SLOTS = '4'));
  afterAll(() => (previous === undefined ? delete process.env.HPO_MAX_SLOTS : (process.env.HPO_MAX_SLOTS = previous)));

  it('is the parallelism, capped by the machine', () => {
    expect(service(false).slotsFor(sampleSpec({ budget: { maxTrials: 9, parallelism: 2, trialTimeoutSec: 9, maxFailedTrials: 9 } }))).toBe(2);
    expect(service(false).slotsFor(sampleSpec({ budget: { maxTrials: 9, parallelism: 16, trialTimeoutSec: 9, maxFailedTrials: 9 } }))).toBe(4);
  });

  it('is one for tfjs trials when a native binding is installed (it loads in one thread per process)', () => {
    const spec = sampleSpec({ trial: tfjsTrial, budget: { maxTrials: 9, parallelism: 4, trialTimeoutSec: 9, maxFailedTrials: 9 } });
    expect(service(true).slotsFor(spec)).toBe(1);
    expect(service(false).slotsFor(spec)).toBe(4);
    expect(service(true).slotsFor({ ...spec, trial: { kind: 'module', module: '/m.js', export: 'objective' } })).toBe(4);
  });
});
