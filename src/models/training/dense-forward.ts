import * as tf from '@tensorflow/tfjs';

/** The parts of a tfjs Dense layer the fast forward pass reads (public at run time, not in the typings). */
interface DenseInternals {
  kernel: tf.LayerVariable;
  bias: tf.LayerVariable | null;
  activation: { getClassName(): string; apply(x: tf.Tensor): tf.Tensor };
}

/** Activations tfjs fuses into the matrix product (what `Dense.call` fuses). */
const FUSED = new Set(['relu', 'linear', 'elu']);

/** A forward pass for training: the output for a batch. */
export type TrainingForward = (x: tf.Tensor) => tf.Tensor;

/**
 * A forward pass over the layers' own variables that skips the layers API's per-call bookkeeping,
 * for sequential models made only of Dense and Dropout layers (the linear and MLP families): the
 * same kernels `Dense.call` and `Dropout.call` run (a fused matMul + bias + activation where tfjs
 * fuses it, `tf.dropout` with the layer's current seed), so the values and gradients are the
 * same. On wasm, where a small batch's time is mostly per-call overhead, it made an optimizer
 * step about a quarter cheaper (docs/BENCHMARKS.md). Undefined for any other model, which trains
 * through `model.apply`.
 */
export function denseTrainingForward(model: tf.LayersModel): TrainingForward | undefined {
  const layers = model.layers;
  if (!layers.every((l) => ['Dense', 'Dropout'].includes(l.getClassName()))) return undefined;
  return (x) => {
    let h = x;
    for (const layer of layers) {
      if (layer.getClassName() === 'Dropout') {
        const { rate, seed } = layer as unknown as { rate: number; seed?: number };
        if (rate > 0) h = tf.dropout(h, rate, undefined, seed);
        continue;
      }
      const { kernel, bias, activation } = layer as unknown as DenseInternals;
      const name = activation.getClassName();
      if (FUSED.has(name)) {
        h = tf.fused.matMul({ a: h as tf.Tensor2D, b: kernel.read() as tf.Tensor2D, bias: bias?.read(), activation: name as tf.fused.Activation });
      } else {
        const z = tf.matMul(h as tf.Tensor2D, kernel.read() as tf.Tensor2D);
        h = activation.apply(bias ? tf.add(z, bias.read()) : z);
      }
    }
    return h;
  };
}
