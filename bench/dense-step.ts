/**
 * One optimizer step of the 2-hidden-layer MLP (64 inputs, 10 classes, L2) three ways, for the
 * automl-speed bench: through the gradient tape with tfjs' Adam (the loop before the hand-written
 * gradient), with the hand-written gradient and the JavaScript Adam (what trains now), and the
 * plain-JavaScript matrix products alone (forward, weight gradient and input gradient of each layer:
 * a lower bound on a trainer with no backend at all, since it leaves out every element-wise op).
 */
import * as tf from '@tensorflow/tfjs';
import { buildMlp } from '../src/models/families/mlp/mlp';
import { resolveMlpHyperparameters } from '../src/models/families/mlp/mlp-hyperparameters';
import { flatDense } from '../src/models/training/flat-dense';
import { flatOptimizer } from '../src/models/training/flat-optimizer';
import { batchLoss } from '../src/models/training/train';

/** Milliseconds per step of each way, at one batch size and width. */
export interface StepCost {
  batchSize: number;
  units: number;
  tape: number;
  hand: number;
  plainJsMatMuls: number;
}

/** `c += a·b` for row-major `a` (m×k), `b` (k×n), in the i-k-j order that keeps the inner loop contiguous. */
function matMulInto(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): void {
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const av = a[i * k + p];
      for (let j = 0; j < n; j++) c[i * n + j] += av * b[p * n + j];
    }
  }
}

function plainJsMatMuls(batch: number, widths: number[], reps: number): number {
  const layers = widths.slice(1).map((out, i) => ({ in: widths[i], out }));
  const buffers = layers.map((l) => ({
    h: new Float32Array(batch * l.in).fill(0.1),
    w: new Float32Array(l.in * l.out).fill(0.01),
    z: new Float32Array(batch * l.out),
    dw: new Float32Array(l.in * l.out),
  }));
  const started = performance.now();
  for (let r = 0; r < reps; r++) {
    layers.forEach((l, i) => {
      const b = buffers[i];
      matMulInto(b.h, b.w, b.z, batch, l.in, l.out);
      // The weight gradient and the input gradient do the same multiply-adds (layouts aside).
      matMulInto(b.h, b.z, b.dw, l.in, batch, l.out);
      if (i > 0) matMulInto(b.z, b.w, b.h, batch, l.out, l.in);
    });
  }
  return (performance.now() - started) / reps;
}

/** Times each way (after a warm-up; the better of two rounds) for every batch size and width. */
export function denseStepCosts(batchSizes: number[], widths: number[], reps = 40): StepCost[] {
  const rows: StepCost[] = [];
  for (const units of widths) {
    for (const batchSize of batchSizes) {
      const hp = resolveMlpHyperparameters({ hidden_layers: 2, hidden_units: units, l2: 1e-4 }, { epochs: 1, batchSize });
      const model = buildMlp(hp, { task: 'classification', inputSize: 64, outputSize: 10 }, 1);
      const flat = flatDense(model)!;
      const x = tf.randomNormal([batchSize, 64], 0, 1, 'float32', 1) as tf.Tensor2D;
      const y = tf.tidy(() => tf.oneHot(tf.randomUniform([batchSize], 0, 10, 'int32', 2), 10).toFloat()) as tf.Tensor2D;
      const adam = tf.train.adam(0.01);
      const js = flatOptimizer(tf.train.adam(0.01), flat.variable)!;
      const tape = (): void =>
        tf.tidy(
          () => void adam.minimize(() => tf.addN([batchLoss('classification', y, flat.forward(x)), ...flat.penalties()]) as tf.Scalar, false, [flat.variable]),
        );
      const hand = (): void => tf.tidy(() => js.step(flat.gradient!(x, y, 'classification')));
      const time = (step: () => void): number => {
        for (let i = 0; i < 5; i++) step();
        flat.variable.dataSync();
        const started = performance.now();
        for (let i = 0; i < reps; i++) step();
        flat.variable.dataSync();
        return (performance.now() - started) / reps;
      };
      const tapeMs = Math.min(time(tape), time(tape));
      const handMs = Math.min(time(hand), time(hand));
      const jsMs = Math.min(plainJsMatMuls(batchSize, [64, units, units, 10], 10), plainJsMatMuls(batchSize, [64, units, units, 10], 10));
      rows.push({ batchSize, units, tape: tapeMs, hand: handMs, plainJsMatMuls: jsMs });
      flat.dispose();
      model.dispose();
      adam.dispose();
      tf.dispose([x, y]);
    }
  }
  return rows;
}
