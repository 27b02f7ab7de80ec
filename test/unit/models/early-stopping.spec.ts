import { EarlyStoppingTracker } from '../../../src/models/training/early-stopping';

describe('early stopping', () => {
  it('stops after `patience` epochs without an improvement larger than minDelta, remembering the best epoch', () => {
    const t = new EarlyStoppingTracker({ metric: 'val_loss', patience: 2, minDelta: 0.01 });
    const verdicts = [1.0, 0.8, 0.795, 0.7, 0.71, 0.705].map((v, i) => t.observe(i + 1, { val_loss: v }));
    expect(verdicts).toEqual(['improved', 'improved', 'waiting', 'improved', 'waiting', 'stop']);
    expect(t.bestEpoch).toBe(4);
    expect(t.bestMetrics).toEqual({ val_loss: 0.7 });
  });

  it('reads accuracy-like metrics as higher-is-better and never takes NaN as the best', () => {
    const t = new EarlyStoppingTracker({ metric: 'val_accuracy', patience: 1, minDelta: 0 });
    expect(t.observe(1, { val_accuracy: NaN })).toBe('stop');
    const u = new EarlyStoppingTracker({ metric: 'val_accuracy', patience: 3, minDelta: 0 });
    expect([0.5, 0.6, 0.55, NaN, 0.6].map((v, i) => u.observe(i + 1, { val_accuracy: v }))).toEqual(['improved', 'improved', 'waiting', 'waiting', 'stop']);
    expect(u.bestEpoch).toBe(2);
  });

  it('names the metric when the model does not report it', () => {
    const t = new EarlyStoppingTracker({ metric: 'val_rmse', patience: 3, minDelta: 0 });
    expect(() => t.observe(1, { val_loss: 1 })).toThrow(/val_rmse/);
  });
});
