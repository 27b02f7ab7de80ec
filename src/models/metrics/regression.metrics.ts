/** Regression metrics over plain arrays of true and predicted values (same units). */

function check(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, what: string): void {
  if (yTrue.length !== yPred.length) throw new Error(`${what}: ${yTrue.length} true values but ${yPred.length} predictions`);
}

/** Mean squared error; NaN for no examples. */
export function mse(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  check(yTrue, yPred, 'mse');
  if (yTrue.length === 0) return NaN;
  let sum = 0;
  for (let i = 0; i < yTrue.length; i++) sum += (yTrue[i] - yPred[i]) ** 2;
  return sum / yTrue.length;
}

/** Root mean squared error, in the target's units. */
export function rmse(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  return Math.sqrt(mse(yTrue, yPred));
}

/** Mean absolute error, in the target's units. */
export function mae(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  check(yTrue, yPred, 'mae');
  if (yTrue.length === 0) return NaN;
  let sum = 0;
  for (let i = 0; i < yTrue.length; i++) sum += Math.abs(yTrue[i] - yPred[i]);
  return sum / yTrue.length;
}

/**
 * Coefficient of determination 1 − SS_res / SS_tot: 1 is perfect, 0 is as good as predicting the
 * mean of `yTrue`, negative is worse. When `yTrue` is constant it is 1 for a perfect fit and 0
 * otherwise (scikit-learn's convention), never a division by zero.
 */
export function r2(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  check(yTrue, yPred, 'r2');
  const n = yTrue.length;
  if (n === 0) return NaN;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += yTrue[i];
  mean /= n;
  let ssRes = 0,
    ssTot = 0;
  for (let i = 0; i < n; i++) {
    ssRes += (yTrue[i] - yPred[i]) ** 2;
    ssTot += (yTrue[i] - mean) ** 2;
  }
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
}
