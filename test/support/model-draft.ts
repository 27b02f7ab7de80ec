import { NewModelVersion } from '../../src/registry/model-records';

/** A model version to store, as a promotion would write it, with `value` as its objective. */
export function modelDraft(value: number): NewModelVersion {
  return {
    experimentId: 1,
    trialId: 7,
    trialNumber: 3,
    params: { lr: 0.1 },
    metrics: { val_accuracy: value },
    objective: { metric: 'val_accuracy', direction: 'maximize', value },
    backend: 'wasm',
    inputSchema: { task: 'classification', target: 'y', features: [{ name: 'x', type: 'numeric' }], classes: ['a', 'b'] },
    files: [{ name: 'weights.bin', bytes: 4, sha256: 'ab'.repeat(32) }],
    description: 'd',
    tags: { team: 'ml' },
    quantization: null,
    testMetrics: { test_accuracy: value - 0.01 },
    compression: null,
  };
}
