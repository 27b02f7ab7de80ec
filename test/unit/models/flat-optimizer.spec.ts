import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../../../src/models/tfjs/backend';
import { flatOptimizer } from '../../../src/models/training/flat-optimizer';

describe('optimizer steps over a flat variable in JavaScript', () => {
  beforeAll(async () => void (await initTfjsBackend('wasm')));

  const optimizers: Array<[string, () => tf.Optimizer]> = [
    ['adam', () => tf.train.adam(0.05)],
    ['adam with its own betas and epsilon', () => tf.train.adam(0.01, 0.8, 0.99, 1e-4)],
    ['sgd', () => tf.train.sgd(0.1)],
    ['momentum', () => tf.train.momentum(0.1, 0.9)],
  ];

  it.each(optimizers)('give the steps of tfjs (%s)', (_, make) => {
    const start = tf.randomNormal([50], 0, 1, 'float32', 1);
    const viaTfjs = tf.variable(start.clone());
    const viaJs = tf.variable(start.clone());
    const reference = make();
    const ours = flatOptimizer(make(), viaJs)!;
    for (let step = 0; step < 8; step++) {
      // A gradient that changes from step to step and with the weights.
      const g = (v: tf.Tensor): tf.Tensor1D => tf.tidy(() => tf.add(tf.mul(v, 0.5), tf.randomNormal([50], 0, 1, 'float32', 10 + step))) as tf.Tensor1D;
      const gt = g(viaTfjs);
      reference.applyGradients([{ name: viaTfjs.name, tensor: gt }]);
      const gj = g(viaJs);
      ours.step(gj);
      tf.dispose([gt, gj]);
    }
    const expected = viaTfjs.dataSync();
    const moved = expected.some((e, i) => Math.abs(e - start.dataSync()[i]) > 1e-2);
    expect(moved).toBe(true);
    viaJs.dataSync().forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-5));
    tf.dispose([start, viaTfjs, viaJs]);
    reference.dispose();
  });

  it('leaves RMSProp to tfjs', () => {
    const v = tf.variable(tf.zeros([3]));
    expect(flatOptimizer(tf.train.rmsprop(0.01), v)).toBeUndefined();
    v.dispose();
  });
});
