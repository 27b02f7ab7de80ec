import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../search/rng';
import { shuffleInPlace } from '../data/holdout-split';
import { PreprocessingState, unscaleTargets } from '../data/preprocessing';
import { accuracy, argmaxRows, logLoss, macroF1, rocAuc } from '../metrics/classification.metrics';
import { mae, mse, r2, rmse } from '../metrics/regression.metrics';
import type { TrainingSplit, ValidationSplit } from '../data/dataset-splits';
import type { Metrics } from '../metrics/metrics.types';
import type { TrainingMonitor } from './training-monitor';
import { reseedDropout } from '../families/mlp/mlp';

/** How to train. */
export interface TrainOptions {
  epochs: number;
  batchSize: number;
  /** Seeds the per-epoch shuffles and the dropout masks. */
  seed: number;
}

/** How training ended. */
export interface TrainResult {
  /** Epochs completed (and reported). */
  epochs: number;
  /** Validation metrics of the last completed epoch. */
  metrics: Metrics;
  /** True when it stopped because `ctx.shouldPrune()` said so. */
  pruned: boolean;
}

const PROB_EPS = 1e-7;

function batchLoss(task: PreprocessingState['task'], yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  if (task === 'regression') return tf.losses.meanSquaredError(yTrue, yPred) as tf.Scalar;
  // Cross-entropy on the softmax output, clipped as Keras does, so a saturated unit cannot give -Infinity.
  return tf.neg(tf.mean(tf.sum(tf.mul(yTrue, tf.log(tf.clipByValue(yPred, PROB_EPS, 1))), -1))) as tf.Scalar;
}

/**
 * The validation metrics of a model: classification `val_loss` (cross-entropy), `val_accuracy`,
 * `val_f1` (macro), `val_auc` (one-vs-rest macro for more than two classes); regression `val_loss`
 * (MSE), `val_rmse`, `val_mae`, `val_r2`, all in the target's own units.
 */
export async function validationMetrics(model: tf.LayersModel, prep: PreprocessingState, val: ValidationSplit): Promise<Metrics> {
  const out = tf.tidy(() => model.predict(tf.tensor2d(val.x, [val.n, prep.inputSize])) as tf.Tensor);
  const raw = await out.data();
  out.dispose();
  if (prep.task === 'classification') {
    const k = prep.classes!.length;
    const labels = val.labels!;
    const predicted = argmaxRows(raw, k);
    return {
      val_loss: logLoss(labels, raw, k, PROB_EPS),
      val_accuracy: accuracy(labels, predicted),
      val_f1: macroF1(labels, predicted, k),
      val_auc: rocAuc(labels, raw, k),
    };
  }
  const predicted = unscaleTargets(prep, raw);
  const truth = val.targets!;
  return { val_loss: mse(truth, predicted), val_rmse: rmse(truth, predicted), val_mae: mae(truth, predicted), val_r2: r2(truth, predicted) };
}

/**
 * Trains `model` on the training split. Each epoch shuffles the training rows with a generator
 * seeded from `options.seed`, reports the validation metrics through `ctx.report`, then throws
 * `Error('aborted')` if `ctx.signal` fired or stops with `pruned: true` if `ctx.shouldPrune()`.
 * The signal is also checked between batches.
 *
 * A custom loop (`optimizer.minimize` per batch inside `tf.tidy`, penalties from
 * `model.calculateLosses()`) rather than `model.fit`: bench/training times both, and on wasm the
 * custom loop was 1.1–1.5× faster in every run (docs/BENCHMARKS.md); it also lets the shuffles and
 * dropout masks come from the trial's seed.
 */
export async function trainModel(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  prep: PreprocessingState,
  train: TrainingSplit,
  val: ValidationSplit,
  options: TrainOptions,
  ctx: TrainingMonitor,
): Promise<TrainResult> {
  const d = prep.inputSize;
  const k = train.y.length / train.n;
  const batchSize = Math.max(1, Math.min(options.batchSize, train.n));
  const rng = createRng(options.seed, 1);
  const order = Array.from({ length: train.n }, (_, i) => i);
  const xs = new Float32Array(train.x.length);
  const ys = new Float32Array(train.y.length);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const hasDropout = model.layers.some((l) => l.getClassName() === 'Dropout');
  let metrics: Metrics = {};
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    shuffleInPlace(order, rng);
    order.forEach((r, i) => {
      xs.set(train.x.subarray(r * d, (r + 1) * d), i * d);
      ys.set(train.y.subarray(r * k, (r + 1) * k), i * k);
    });
    for (let start = 0; start < train.n; start += batchSize) {
      if (ctx.signal.aborted) throw new Error('aborted');
      const end = Math.min(train.n, start + batchSize);
      if (hasDropout) reseedDropout(model, rng.int(2147483647));
      tf.tidy(() => {
        const xb = tf.tensor2d(xs.subarray(start * d, end * d), [end - start, d]);
        const yb = tf.tensor2d(ys.subarray(start * k, end * k), [end - start, k]);
        optimizer.minimize(
          () => {
            const loss = batchLoss(prep.task, yb, model.apply(xb, { training: true }) as tf.Tensor);
            const penalties = model.calculateLosses();
            return penalties.length > 0 ? (tf.addN([loss, ...penalties]) as tf.Scalar) : loss;
          },
          false,
          vars,
        );
      });
    }
    metrics = await validationMetrics(model, prep, val);
    await ctx.report(epoch, metrics);
    if (ctx.signal.aborted) throw new Error('aborted');
    if (ctx.shouldPrune()) return { epochs: epoch, metrics, pruned: true };
  }
  return { epochs: options.epochs, metrics, pruned: false };
}
