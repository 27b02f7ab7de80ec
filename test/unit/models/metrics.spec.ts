import { accuracy, argmaxRows, binaryAuc, logLoss, macroF1, rocAuc } from '../../../src/models/metrics/classification.metrics';
import { mae, mse, r2, rmse } from '../../../src/models/metrics/regression.metrics';

describe('classification metrics', () => {
  it('accuracy counts exact matches', () => {
    expect(accuracy([0, 1, 2, 2, 1], [0, 2, 2, 2, 1])).toBeCloseTo(0.8, 12);
    expect(accuracy([], [])).toBeNaN();
    expect(() => accuracy([0], [0, 1])).toThrow(/1 true labels but 2 predictions/);
  });

  it('macro F1 counts a class that is never predicted as F1 0', () => {
    // class 0: F1 1; class 1: TP 2, FP 2 -> 4/6; class 2: never predicted -> 0.
    expect(macroF1([0, 0, 1, 1, 2, 2], [0, 0, 1, 1, 1, 1], 3)).toBeCloseTo((1 + 2 / 3 + 0) / 3, 12);
    expect(macroF1([0, 1, 1], [0, 1, 1], 3)).toBe(1); // class 2 absent from both: not averaged
  });

  it('argmaxRows picks the largest probability per row', () => {
    expect(Array.from(argmaxRows([0.1, 0.7, 0.2, 0.5, 0.2, 0.3], 3))).toEqual([1, 0]);
  });

  it('binary AUC matches a known case and counts ties as one half', () => {
    expect(binaryAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 12);
    // pos {0.5, 0.9} vs neg {0.5, 0.2}: 0.5 + 1 + 1 + 1 of 4 pairs.
    expect(binaryAuc([0.5, 0.5, 0.2, 0.9], [1, 0, 0, 1])).toBeCloseTo(0.875, 12);
    expect(binaryAuc([0.3, 0.3, 0.3], [1, 0, 1])).toBeCloseTo(0.5, 12);
    expect(binaryAuc([0.1, 0.2], [1, 1])).toBeNaN();
  });

  it('rocAuc uses class 1 for two classes and one-vs-rest macro for more', () => {
    expect(rocAuc([0, 0, 1, 1], [0.9, 0.1, 0.6, 0.4, 0.65, 0.35, 0.2, 0.8], 2)).toBeCloseTo(0.75, 12);
    const probs = [0.7, 0.2, 0.1, 0.2, 0.5, 0.3, 0.1, 0.3, 0.6, 0.3, 0.4, 0.3, 0.4, 0.4, 0.2, 0.2, 0.2, 0.6];
    // class 0: 7/8; class 1: 7.5/8 (one tie); class 2: 8/8.
    expect(rocAuc([0, 1, 2, 0, 1, 2], probs, 3)).toBeCloseTo((0.875 + 0.9375 + 1) / 3, 12);
  });

  it('log loss is the mean negative log probability of the true class, clipped', () => {
    expect(logLoss([0, 1], [0.8, 0.2, 0.4, 0.6], 2)).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, 12);
    expect(logLoss([0], [0, 1], 2)).toBeCloseTo(-Math.log(1e-7), 6);
  });
});

describe('regression metrics', () => {
  const yTrue = [3, -0.5, 2, 7];
  const yPred = new Float64Array([2.5, 0, 2, 8]);

  it('match hand-computed values', () => {
    expect(mse(yTrue, yPred)).toBeCloseTo(0.375, 12);
    expect(rmse(yTrue, yPred)).toBeCloseTo(Math.sqrt(0.375), 12);
    expect(mae(yTrue, yPred)).toBeCloseTo(0.5, 12);
    // SS_res 1.5; mean 2.875, SS_tot 29.1875.
    expect(r2(yTrue, yPred)).toBeCloseTo(1 - 1.5 / 29.1875, 12);
  });

  it('R² of the mean is 0 and of a constant target never divides by zero', () => {
    expect(r2([1, 2, 3], [2, 2, 2])).toBeCloseTo(0, 12);
    expect(r2([2, 2], [2, 2])).toBe(1);
    expect(r2([2, 2], [1, 3])).toBe(0);
  });
});
