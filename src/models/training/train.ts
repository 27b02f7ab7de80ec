import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../search/rng';
import { shuffleInPlace } from '../data/holdout-split';
import { PreprocessingState, unscaleTargets } from '../data/preprocessing';
import { accuracy, argmaxRows, logLoss, macroF1, rocAuc } from '../metrics/classification.metrics';
import { mae, mse, r2, rmse } from '../metrics/regression.metrics';
import type { TrainingSplit, ValidationSplit } from '../data/dataset-splits';
import type { Metrics } from '../metrics/metrics.types';
import type { TrainingMonitor } from './training-monitor';
import { reseedDropout } from '../families/shared/seeds';
import { EarlyStopping, EarlyStoppingTracker } from './early-stopping';
import { FlatDense, flatDense } from './flat-dense';
import { flatOptimizer } from './flat-optimizer';
import { EpochProfile, timed } from './epoch-profile';

/** How to train. */
export interface TrainOptions {
  epochs: number;
  batchSize: number;
  /** Seeds the per-epoch shuffles and the dropout masks. */
  seed: number;
  /** Stop once the metric stops improving, and keep the best epoch's weights. */
  earlyStopping?: EarlyStopping;
  /** Where the time of each phase of an epoch is added up, when profiling. */
  profile?: EpochProfile;
  /** Train through the gradient tape even where a hand-written gradient exists (tests and benches compare the two). */
  tape?: boolean;
}

/** How training ended. */
export interface TrainResult {
  /** Epochs completed (and reported). */
  epochs: number;
  /** Validation metrics of the weights kept: the best epoch's under early stopping, else the last epoch's. */
  metrics: Metrics;
  /** True when it stopped because `ctx.shouldPrune()` said so. */
  pruned: boolean;
  /** Under early stopping: the epoch whose weights were restored. */
  bestEpoch?: number;
}

const PROB_EPS = 1e-7;

/** A batch's loss as the tape trains on it: mean squared error, or the cross-entropy of the softmax output clipped as Keras clips it. */
export function batchLoss(task: PreprocessingState['task'], yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
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
  return metricsOfOutputs(prep, raw, val);
}

/** The validation metrics of {@link validationMetrics} from a model's outputs on the validation rows (any family). */
export function metricsOfOutputs(prep: PreprocessingState, raw: ArrayLike<number>, val: ValidationSplit): Metrics {
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

/** The trainable variables' values at one epoch (clones share storage until the variables are assigned anew). */
function snapshot(vars: readonly tf.Variable[], previous: tf.Tensor[] | undefined): tf.Tensor[] {
  previous?.forEach((t) => t.dispose());
  return vars.map((v) => tf.clone(v));
}

/**
 * Trains `model` on the training split. Each epoch shuffles the training rows with a generator
 * seeded from `options.seed`, reports the validation metrics through `ctx.report`, then throws
 * `Error('aborted')` if `ctx.signal` fired or stops with `pruned: true` if `ctx.shouldPrune()`.
 * The signal is also checked between batches. With `options.earlyStopping` it also stops once the
 * watched metric has not improved for `patience` epochs, and in every case restores the weights of
 * the best epoch seen, so the model saved is the one its metrics describe.
 *
 * A custom loop rather than `model.fit`: bench/training times both, and on wasm the custom loop was
 * 1.1–1.5× faster in every run (docs/BENCHMARKS.md); it also lets the shuffles and dropout masks
 * come from the trial's seed. Each epoch copies the shuffled rows in JavaScript and uploads each
 * batch as one contiguous tensor (cheaper on wasm than a gather on the backend). Dense-only models
 * (linear, mlp) train their weights as one flat variable with a hand-written gradient and, for
 * Adam and SGD, an update in JavaScript (`flatDense`, `flatOptimizer`): a step is a few dozen
 * backend calls instead of a couple of hundred, with the tape's numbers. Other models (the cnn, an
 * activation without a written derivative) run `optimizer.minimize` per batch inside `tf.tidy`,
 * penalties from `model.calculateLosses()`.
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
  // Dense-only models (linear, mlp) train as one flat variable; the others through the layers API.
  const flat = flatDense(model);
  const vars = flat ? [flat.variable] : model.trainableWeights.map((w) => w.read() as tf.Variable);
  const hasDropout = model.layers.some((l) => l.getClassName() === 'Dropout');
  const hasPenalties = model.losses.length > 0 || model.layers.some((l) => (l as unknown as { kernelRegularizer?: unknown }).kernelRegularizer);
  const profile = options.profile;
  const forward = flat?.forward ?? ((x: tf.Tensor) => model.apply(x, { training: true }) as tf.Tensor);
  const penalties = (): tf.Scalar[] => (flat ? flat.penalties() : hasPenalties ? model.calculateLosses() : []);
  // The hand-written gradient when the model has one: no tape, a third of the backend calls (flat-dense.ts).
  const gradient = options.tape ? undefined : flat?.gradient;
  // With it, Adam and SGD update the flat variable in JavaScript (flat-optimizer.ts); RMSProp through tfjs.
  const update = gradient ? flatOptimizer(optimizer, flat!.variable) : undefined;
  // Dense models predict the validation rows from the flat variable, uploaded once, with no write-back each epoch.
  const xVal = flat ? tf.tensor2d(val.x, [val.n, d]) : undefined;
  const flatValidation = async (f: FlatDense): Promise<Metrics> => {
    const out = tf.tidy(() => f.predict(xVal!));
    const raw = await out.data();
    out.dispose();
    return metricsOfOutputs(prep, raw, val);
  };
  // The shuffled rows of an epoch, copied in JavaScript; each batch is one upload of a contiguous
  // run of them. On wasm this is several times cheaper than gathering the batch on the backend from
  // a shuffled index (docs/BENCHMARKS.md).
  const xEpoch = new Float32Array(train.n * d);
  const yEpoch = new Float32Array(train.n * k);
  const tracker = options.earlyStopping ? new EarlyStoppingTracker(options.earlyStopping) : undefined;
  let best: tf.Tensor[] | undefined;
  let metrics: Metrics = {};
  let epochs = 0;
  let pruned = false;
  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      timed(profile, 'shuffle', () => {
        shuffleInPlace(order, rng);
        for (let i = 0; i < train.n; i++) {
          const row = order[i];
          for (let j = 0; j < d; j++) xEpoch[i * d + j] = train.x[row * d + j];
          for (let j = 0; j < k; j++) yEpoch[i * k + j] = train.y[row * k + j];
        }
      });
      timed(profile, 'batches', () => {
        for (let start = 0; start < train.n; start += batchSize) {
          if (ctx.signal.aborted) throw new Error('aborted');
          const size = Math.min(train.n, start + batchSize) - start;
          if (hasDropout) reseedDropout(model, rng.int(2147483647));
          tf.tidy(() => {
            const xb = tf.tensor2d(xEpoch.subarray(start * d, (start + size) * d), [size, d]);
            const yb = tf.tensor2d(yEpoch.subarray(start * k, (start + size) * k), [size, k]);
            if (gradient) {
              const g = gradient(xb, yb, prep.task);
              if (update) update.step(g);
              else optimizer.applyGradients([{ name: flat!.variable.name, tensor: g }]);
              return;
            }
            optimizer.minimize(
              () => {
                const loss = batchLoss(prep.task, yb, forward(xb));
                const extra = penalties();
                return extra.length > 0 ? (tf.addN([loss, ...extra]) as tf.Scalar) : loss;
              },
              false,
              vars,
            );
          });
        }
      });
      metrics = await timedAsync(profile, 'validation', () => (flat ? flatValidation(flat) : validationMetrics(model, prep, val)));
      epochs = epoch;
      await timedAsync(profile, 'report', () => ctx.report(epoch, metrics));
      if (profile) profile.epochs++;
      if (ctx.signal.aborted) throw new Error('aborted');
      const verdict = tracker?.observe(epoch, metrics);
      if (verdict === 'improved') best = snapshot(vars, best);
      if (ctx.shouldPrune()) {
        pruned = true;
        break;
      }
      if (verdict === 'stop') break;
    }
    if (tracker && best && tracker.bestEpoch !== epochs) {
      vars.forEach((v, i) => v.assign(best![i]));
      flat?.writeBack();
      return { epochs, metrics: tracker.bestMetrics, pruned, bestEpoch: tracker.bestEpoch };
    }
    flat?.writeBack();
    return { epochs, metrics, pruned, ...(tracker ? { bestEpoch: tracker.bestEpoch || epochs } : {}) };
  } finally {
    best?.forEach((t) => t.dispose());
    flat?.dispose();
    xVal?.dispose();
  }
}

async function timedAsync<T>(profile: EpochProfile | undefined, phase: keyof EpochProfile['ms'], f: () => Promise<T>): Promise<T> {
  if (!profile) return f();
  const t0 = performance.now();
  try {
    return await f();
  } finally {
    profile.ms[phase] += performance.now() - t0;
  }
}
