/**
 * Classification metrics over plain arrays. Labels are class indices `0..k-1`; probabilities are a
 * row-major `n × k` matrix (one row per example).
 */

function checkLengths(a: ArrayLike<unknown>, b: ArrayLike<unknown>, what: string): void {
  if (a.length !== b.length) throw new Error(`${what}: ${a.length} true labels but ${b.length} predictions`);
}

/** Fraction of predictions equal to the true label; NaN for no examples. */
export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkLengths(yTrue, yPred, 'accuracy');
  if (yTrue.length === 0) return NaN;
  let hits = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hits++;
  return hits / yTrue.length;
}

/**
 * Unweighted mean of per-class F1 over the classes present in `yTrue` or `yPred` (as scikit-learn's
 * `f1_score(average='macro')`). A class that is never predicted has precision 0/0, counted as 0, so
 * its F1 is 0: a model that ignores a class is penalised rather than excused.
 */
export function macroF1(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, numClasses: number): number {
  checkLengths(yTrue, yPred, 'macroF1');
  const tp = new Float64Array(numClasses),
    fp = new Float64Array(numClasses),
    fn = new Float64Array(numClasses);
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i],
      p = yPred[i];
    if (t === p) tp[t]++;
    else {
      fp[p]++;
      fn[t]++;
    }
  }
  let sum = 0,
    present = 0;
  for (let c = 0; c < numClasses; c++) {
    if (tp[c] + fp[c] + fn[c] === 0) continue;
    present++;
    // F1 = 2TP / (2TP + FP + FN): the same as 2PR/(P+R) with 0/0 read as 0.
    sum += (2 * tp[c]) / (2 * tp[c] + fp[c] + fn[c]);
  }
  return present === 0 ? NaN : sum / present;
}

/** The index of the largest probability in each row (the first one on ties). */
export function argmaxRows(probs: ArrayLike<number>, numClasses: number): Int32Array {
  const n = Math.floor(probs.length / numClasses);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < numClasses; c++) if (probs[i * numClasses + c] > probs[i * numClasses + best]) best = c;
    out[i] = best;
  }
  return out;
}

/**
 * Area under the ROC curve of scores against binary labels, from ranks (Mann–Whitney U): tied
 * scores share their average rank, so a tie between a positive and a negative counts one half.
 * NaN when there are no positives or no negatives.
 */
export function binaryAuc(scores: ArrayLike<number>, positive: ArrayLike<boolean | number>): number {
  checkLengths(positive, scores, 'binaryAuc');
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let rankSumPos = 0,
    nPos = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (positive[order[k]]) {
        rankSumPos += avgRank;
        nPos++;
      }
    }
    i = j + 1;
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/**
 * ROC AUC from a probability matrix: for two classes the AUC of class 1's probability; for more, the
 * unweighted mean of one-vs-rest AUCs over the classes that have both positives and negatives in
 * `yTrue` (NaN when none has).
 */
export function rocAuc(yTrue: ArrayLike<number>, probs: ArrayLike<number>, numClasses: number): number {
  if (probs.length !== yTrue.length * numClasses) {
    throw new Error(`rocAuc: ${yTrue.length} labels need ${yTrue.length * numClasses} probabilities, got ${probs.length}`);
  }
  const column = (c: number): Float64Array => Float64Array.from({ length: yTrue.length }, (_, i) => probs[i * numClasses + c]);
  const isClass = (c: number): Uint8Array => Uint8Array.from({ length: yTrue.length }, (_, i) => (yTrue[i] === c ? 1 : 0));
  if (numClasses === 2) return binaryAuc(column(1), isClass(1));
  let sum = 0,
    counted = 0;
  for (let c = 0; c < numClasses; c++) {
    const auc = binaryAuc(column(c), isClass(c));
    if (Number.isNaN(auc)) continue;
    sum += auc;
    counted++;
  }
  return counted === 0 ? NaN : sum / counted;
}

/** Mean cross-entropy −log p(true class), probabilities clipped to `[eps, 1]` so a confident miss stays finite. */
export function logLoss(yTrue: ArrayLike<number>, probs: ArrayLike<number>, numClasses: number, eps = 1e-7): number {
  if (probs.length !== yTrue.length * numClasses) {
    throw new Error(`logLoss: ${yTrue.length} labels need ${yTrue.length * numClasses} probabilities, got ${probs.length}`);
  }
  if (yTrue.length === 0) return NaN;
  let sum = 0;
  for (let i = 0; i < yTrue.length; i++) sum -= Math.log(Math.min(1, Math.max(eps, probs[i * numClasses + yTrue[i]])));
  return sum / yTrue.length;
}
