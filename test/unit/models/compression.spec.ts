import * as tf from '@tensorflow/tfjs';
import { softLabels } from '../../../src/models/compression/distillation';
import { magnitudeMask } from '../../../src/models/compression/pruning';

describe('magnitude pruning mask', () => {
  it('zeroes exactly floor(sparsity · n) weights, the smallest by magnitude, ties by position', () => {
    const values = Float32Array.from([0.5, -0.1, 0.1, 2, -3, 0.1]);
    expect(Array.from(magnitudeMask(values, 0.5))).toEqual([1, 0, 0, 1, 1, 0]);
    expect(Array.from(magnitudeMask(values, 0.4))).toEqual([1, 0, 0, 1, 1, 1]);
    expect(Array.from(magnitudeMask(values, 0))).toEqual([1, 1, 1, 1, 1, 1]);
  });
});

describe('soft labels', () => {
  it("are the teacher's probabilities tempered by p^(1/T) and renormalised", async () => {
    await tf.setBackend('cpu');
    const teacher = tf.sequential({
      layers: [tf.layers.dense({ units: 2, inputShape: [1], activation: 'softmax', weights: [tf.tensor2d([[1, -1]]), tf.zeros([2])] })],
    });
    const x = Float32Array.from([1]);
    const p1 = 1 / (1 + Math.exp(-2));
    const plain = softLabels(teacher, x, 1, 1, 'classification', 1);
    expect(plain[0]).toBeCloseTo(p1, 6);
    const soft = softLabels(teacher, x, 1, 1, 'classification', 2);
    const a = Math.sqrt(p1),
      b = Math.sqrt(1 - p1);
    expect(soft[0]).toBeCloseTo(a / (a + b), 6);
    expect(soft[0] + soft[1]).toBeCloseTo(1, 6);
    teacher.dispose();
  });
});
