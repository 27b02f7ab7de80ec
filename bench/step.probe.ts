import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../src/models/tfjs/backend';
import { buildMlp } from '../src/models/families/mlp/mlp';
import { resolveMlpHyperparameters } from '../src/models/families/mlp/mlp-hyperparameters';
import { flatDense } from '../src/models/training/flat-dense';
import { batchLoss } from '../src/models/training/train';
import { flatOptimizer } from '../src/models/training/flat-optimizer';

/** Plain-JS matMul C[m×n] += A[m×k]·B[k×n] (i-k-j order), the arithmetic a dispatch-free trainer would do. */
function mm(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): void {
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let p = 0; p < k; p++) {
      const av = a[i * k + p];
      const bp = p * n;
      for (let j = 0; j < n; j++) c[ci + j] += av * b[bp + j];
    }
  }
}
function jsStepLowerBound(batch: number, widths: number[], reps: number): number {
  // forward: per layer batch×in×out; backward: dW (in×batch×out) and dH (batch×out×in) — three matMuls of the same size.
  const mats = widths.slice(1).map((out, i) => ({ in: widths[i], out }));
  const bufs = mats.map((l) => ({ a: new Float32Array(batch * l.in).fill(0.1), w: new Float32Array(l.in * l.out).fill(0.01), c: new Float32Array(batch * l.out) }));
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) {
    mats.forEach((l, i) => {
      const b = bufs[i];
      mm(b.a, b.w, b.c, batch, l.in, l.out); // forward
      mm(b.a, b.c, b.w, l.in, batch, l.out); // dW (layout aside, same multiply-adds)
      if (i > 0) mm(b.c, b.w, b.a, batch, l.out, l.in); // dH
    });
  }
  return (performance.now() - t0) / reps;
}

async function main(): Promise<void> {
  await initTfjsBackend('wasm');
  const reps = 60;
  console.log('| batch | units | tape ms/step | hand ms/step | plain-JS matMuls ms/step |');
  for (const units of [16, 64, 128]) {
    for (const batch of [32, 200]) {
      const hp = resolveMlpHyperparameters({ hidden_layers: 2, hidden_units: units, l2: 1e-4 }, { epochs: 1, batchSize: batch });
      const model = buildMlp(hp, { task: 'classification', inputSize: 64, outputSize: 10 }, 1);
      const flat = flatDense(model)!;
      const x = tf.randomNormal([batch, 64]) as tf.Tensor2D;
      const y = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32'), 10).toFloat() as tf.Tensor2D;
      const opt = tf.train.adam(0.01);
      const tape = (): void => tf.tidy(() => void opt.minimize(() => tf.addN([batchLoss('classification', y, flat.forward(x)), ...flat.penalties()]) as tf.Scalar, false, [flat.variable]));
      const js = flatOptimizer(tf.train.adam(0.01), flat.variable)!;
      const hand = (): void => tf.tidy(() => js.step(flat.gradient!(x, y, 'classification')));
      const time = (f: () => void): number => {
        for (let i = 0; i < 5; i++) f();
        flat.variable.dataSync();
        const t0 = performance.now();
        for (let i = 0; i < reps; i++) f();
        flat.variable.dataSync();
        return (performance.now() - t0) / reps;
      };
      const a = time(tape), b = time(hand), a2 = time(tape), b2 = time(hand);
      const jsb = jsStepLowerBound(batch, [64, units, units, 10], 20);
      console.log(`| ${batch} | ${units} | ${Math.min(a, a2).toFixed(2)} | ${Math.min(b, b2).toFixed(2)} | ${jsb.toFixed(2)} |`);
      flat.dispose(); model.dispose(); opt.dispose(); tf.dispose([x, y]);
    }
  }
}
void main();
