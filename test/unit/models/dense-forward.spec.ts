import * as tf from '@tensorflow/tfjs';
import { buildMlp } from '../../../src/models/families/mlp/mlp';
import { resolveMlpHyperparameters } from '../../../src/models/families/mlp/mlp-hyperparameters';
import { buildCnn } from '../../../src/models/families/cnn/cnn';
import { resolveCnnHyperparameters } from '../../../src/models/families/cnn/cnn-hyperparameters';
import { initTfjsBackend } from '../../../src/models/tfjs/backend';
import { denseTrainingForward } from '../../../src/models/training/dense-forward';

describe('the dense training forward pass', () => {
  beforeAll(async () => void (await initTfjsBackend('wasm')));

  it.each(['relu', 'tanh', 'elu', 'selu', 'swish'])('gives what the layers API gives, values and gradients (%s)', (activation) => {
    const hp = resolveMlpHyperparameters({ activation, hidden_layers: 2, hidden_units: 8 }, { epochs: 1, batchSize: 4 });
    const model = buildMlp(hp, { task: 'classification', inputSize: 5, outputSize: 3 }, 4);
    const forward = denseTrainingForward(model)!;
    const x = tf.randomNormal([6, 5], 0, 1, 'float32', 3);
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const viaLayers = tf.variableGrads(() => tf.sum(tf.square(model.apply(x, { training: true }) as tf.Tensor)) as tf.Scalar, vars);
    const viaFast = tf.variableGrads(() => tf.sum(tf.square(forward(x))) as tf.Scalar, vars);
    expect(viaFast.value.dataSync()[0]).toBeCloseTo(viaLayers.value.dataSync()[0], 5);
    for (const name of Object.keys(viaLayers.grads)) {
      const a = viaLayers.grads[name].dataSync();
      const b = viaFast.grads[name].dataSync();
      a.forEach((v, i) => expect(b[i]).toBeCloseTo(v, 5));
    }
    model.dispose();
  });

  it('leaves models with other layers (the cnn) to the layers API', () => {
    const hp = resolveCnnHyperparameters({ conv_layers: 1, filters: 2 }, { epochs: 1, batchSize: 4 });
    const model = buildCnn(hp, { task: 'classification', inputSize: 16, outputSize: 2, inputShape: [4, 4, 1] }, 1);
    expect(denseTrainingForward(model)).toBeUndefined();
    model.dispose();
  });
});
