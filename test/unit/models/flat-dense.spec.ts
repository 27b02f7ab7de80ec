import * as tf from '@tensorflow/tfjs';
import { buildMlp } from '../../../src/models/families/mlp/mlp';
import { resolveMlpHyperparameters } from '../../../src/models/families/mlp/mlp-hyperparameters';
import { buildCnn } from '../../../src/models/families/cnn/cnn';
import { resolveCnnHyperparameters } from '../../../src/models/families/cnn/cnn-hyperparameters';
import { initTfjsBackend } from '../../../src/models/tfjs/backend';
import { FlatDense, flatDense } from '../../../src/models/training/flat-dense';
import { batchLoss, trainModel } from '../../../src/models/training/train';
import { reseedDropout } from '../../../src/models/families/shared/seeds';
import { createRng } from '../../../src/search/rng';
import type { PreprocessingState } from '../../../src/models/data/preprocessing';
import type { ValidationSplit } from '../../../src/models/data/dataset-splits';

const weightsOf = (model: tf.LayersModel): number[][] => model.trainableWeights.map((w) => Array.from(w.read().dataSync()));

describe('dense models trained as one flat variable', () => {
  beforeAll(async () => void (await initTfjsBackend('wasm')));

  it.each(['relu', 'tanh', 'elu', 'selu', 'swish'])('give the outputs and the Adam steps of the layers API (%s, with L2)', (activation) => {
    const hp = resolveMlpHyperparameters({ activation, hidden_layers: 2, hidden_units: 8, l2: 0.01 }, { epochs: 1, batchSize: 4 });
    const shape = { task: 'classification' as const, inputSize: 5, outputSize: 3 };
    const x = tf.randomNormal([6, 5], 0, 1, 'float32', 3);
    const viaLayers = buildMlp(hp, shape, 4);
    const viaFlat = buildMlp(hp, shape, 4);
    const flat = flatDense(viaFlat)!;
    expect(Array.from(flat.forward(x).dataSync())).toEqual(Array.from((viaLayers.apply(x) as tf.Tensor).dataSync()));
    const loss = (out: tf.Tensor, extra: tf.Scalar[]) => tf.addN([tf.sum(tf.square(out)), ...extra]) as tf.Scalar;
    const a = tf.train.adam(0.05);
    const b = tf.train.adam(0.05);
    const vars = viaLayers.trainableWeights.map((w) => w.read() as tf.Variable);
    for (let i = 0; i < 3; i++) {
      a.minimize(() => loss(viaLayers.apply(x, { training: true }) as tf.Tensor, viaLayers.calculateLosses()), false, vars);
      b.minimize(() => loss(flat.forward(x), flat.penalties()), false, [flat.variable]);
    }
    flat.writeBack();
    const expected = weightsOf(viaLayers);
    weightsOf(viaFlat).forEach((w, i) => w.forEach((v, j) => expect(v).toBeCloseTo(expected[i][j], 5)));
    flat.dispose();
    viaLayers.dispose();
    viaFlat.dispose();
  });

  it('leaves models with other layers (the cnn) to the layers API', () => {
    const hp = resolveCnnHyperparameters({ conv_layers: 1, filters: 2 }, { epochs: 1, batchSize: 4 });
    const model = buildCnn(hp, { task: 'classification', inputSize: 16, outputSize: 2, inputShape: [4, 4, 1] }, 1);
    expect(flatDense(model)).toBeUndefined();
    model.dispose();
  });
});

describe('the hand-written gradient of a dense model', () => {
  beforeAll(async () => void (await initTfjsBackend('wasm')));

  /** The tape's gradient of the loss the training loop minimises, with respect to the flat variable. */
  const tapeGradient = (flat: FlatDense, task: 'classification' | 'regression', x: tf.Tensor2D, y: tf.Tensor2D): Float32Array =>
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => tf.addN([batchLoss(task, y, flat.forward(x)), ...flat.penalties()]) as tf.Scalar, [flat.variable]);
      return grads[flat.variable.name].dataSync() as Float32Array;
    });

  const cases: Array<[string, Record<string, unknown>, 'classification' | 'regression']> = [
    ['relu, L2', { activation: 'relu', l2: 0.01 }, 'classification'],
    ['tanh, L2, dropout', { activation: 'tanh', l2: 0.003, dropout: 0.3 }, 'classification'],
    ['elu, three layers', { activation: 'elu', hidden_layers: 3 }, 'classification'],
    ['sigmoid, dropout', { activation: 'sigmoid', dropout: 0.2 }, 'regression'],
    ['relu, L2, regression', { activation: 'relu', l2: 0.001 }, 'regression'],
    ['no hidden layer (linear model)', { hidden_layers: 0, l2: 0.01 }, 'classification'],
  ];

  it.each(cases)('equals the tape gradient (%s)', (_, params, task) => {
    const hp = resolveMlpHyperparameters({ hidden_layers: 2, hidden_units: 7, ...params }, { epochs: 1, batchSize: 4 });
    const outputSize = task === 'classification' ? 3 : 1;
    const model = buildMlp(hp, { task, inputSize: 5, outputSize }, 11);
    reseedDropout(model, 5);
    const flat = flatDense(model)!;
    expect(flat.gradient).toBeDefined();
    const x = tf.randomNormal([9, 5], 0, 1, 'float32', 3) as tf.Tensor2D;
    // Class-weighted one-hot targets, as the data preparation writes them under classWeights: balanced.
    const y =
      task === 'classification'
        ? (tf.tensor2d(
            [0, 1, 2, 2, 1, 0, 0, 0, 1].flatMap((c) => [0, 1, 2].map((j) => (j === c ? [0.8, 1.1, 1.3][c] : 0))),
            [9, 3],
          ) as tf.Tensor2D)
        : (tf.randomNormal([9, 1], 0, 1, 'float32', 4) as tf.Tensor2D);
    const expected = tapeGradient(flat, task, x, y);
    const got = tf.tidy(() => flat.gradient!(x, y, task).dataSync());
    expect(got.length).toBe(expected.length);
    expect(Math.max(...expected.map((e) => Math.abs(e)))).toBeGreaterThan(1e-3);
    got.forEach((g, i) => expect(Math.abs(g - expected[i])).toBeLessThan(1e-5));
    flat.dispose();
    model.dispose();
    tf.dispose([x, y]);
  });

  it('leaves a saturated class alone as the clip does: no gradient from a row whose true class has a probability under 1e-7', () => {
    const hp = resolveMlpHyperparameters({ hidden_layers: 0 }, { epochs: 1, batchSize: 4 });
    const model = buildMlp(hp, { task: 'classification', inputSize: 2, outputSize: 2 }, 1);
    const flat = flatDense(model)!;
    // Large inputs drive the softmax to 0 and 1 exactly; the target is the class at 0.
    flat.variable.assign(tf.tensor1d([40, -40, 40, -40, 0, 0]));
    const x = tf.tensor2d([
      [1, 1],
      [0.01, 0],
    ]);
    const y = tf.tensor2d([
      [0, 1],
      [1, 0],
    ]);
    const expected = tapeGradient(flat, 'classification', x, y);
    const got = tf.tidy(() => flat.gradient!(x, y, 'classification').dataSync());
    got.forEach((g, i) => expect(Math.abs(g - expected[i])).toBeLessThan(1e-5));
    flat.dispose();
    model.dispose();
    tf.dispose([x, y]);
  });

  it('is not offered for an activation it has no derivative for (selu trains through the tape)', () => {
    const hp = resolveMlpHyperparameters({ activation: 'selu' }, { epochs: 1, batchSize: 4 });
    const model = buildMlp(hp, { task: 'classification', inputSize: 3, outputSize: 2 }, 1);
    const flat = flatDense(model)!;
    expect(flat.gradient).toBeUndefined();
    flat.dispose();
    model.dispose();
  });

  it('trains to the same weights as the tape through the training loop (Adam, dropout, early stopping restore)', async () => {
    const hp = resolveMlpHyperparameters({ activation: 'tanh', dropout: 0.2, l2: 0.001 }, { epochs: 1, batchSize: 4 });
    const shape = { task: 'classification' as const, inputSize: 4, outputSize: 3 };
    const data = tinyClassification();
    const monitor = { signal: new AbortController().signal, report: async () => undefined, shouldPrune: () => false };
    const options = { epochs: 6, batchSize: 8, seed: 3, earlyStopping: { metric: 'val_loss', patience: 2, minDelta: 0 } };
    const byHand = buildMlp(hp, shape, 2);
    const byTape = buildMlp(hp, shape, 2);
    const a = await trainModel(byHand, tf.train.adam(0.05), data.prep, data.train, data.val, options, monitor);
    const b = await trainModel(byTape, tf.train.adam(0.05), data.prep, data.train, data.val, { ...options, tape: true }, monitor);
    expect(a.epochs).toBe(b.epochs);
    expect(a.bestEpoch).toBe(b.bestEpoch);
    expect(a.metrics.val_loss).toBeCloseTo(b.metrics.val_loss, 4);
    const expected = weightsOf(byTape);
    weightsOf(byHand).forEach((w, i) => w.forEach((v, j) => expect(Math.abs(v - expected[i][j])).toBeLessThan(1e-4)));
    byHand.dispose();
    byTape.dispose();
  });
});

/** 40 training and 12 validation rows of 4 features, 3 classes, from a seeded generator. */
function tinyClassification() {
  const rng = createRng(7, 1);
  const rows = (n: number) => {
    const labels = Array.from({ length: n }, (_, i) => i % 3);
    const x = new Float32Array(n * 4).map((_, j) => labels[Math.floor(j / 4)] * 0.5 + rng.normal());
    const y = new Float32Array(n * 3);
    labels.forEach((c, i) => (y[i * 3 + c] = 1));
    return { n, x, y, labels: Int32Array.from(labels) };
  };
  const train = rows(40);
  const val = rows(12);
  const prep = { task: 'classification', inputSize: 4, classes: ['a', 'b', 'c'] } as unknown as PreprocessingState;
  return { prep, train: { n: train.n, x: train.x, y: train.y }, val: { n: val.n, x: val.x, labels: val.labels } as ValidationSplit };
}
