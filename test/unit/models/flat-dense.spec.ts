import * as tf from '@tensorflow/tfjs';
import { buildMlp } from '../../../src/models/families/mlp/mlp';
import { resolveMlpHyperparameters } from '../../../src/models/families/mlp/mlp-hyperparameters';
import { buildCnn } from '../../../src/models/families/cnn/cnn';
import { resolveCnnHyperparameters } from '../../../src/models/families/cnn/cnn-hyperparameters';
import { initTfjsBackend } from '../../../src/models/tfjs/backend';
import { flatDense } from '../../../src/models/training/flat-dense';

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
