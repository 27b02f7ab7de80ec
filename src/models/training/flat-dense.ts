import * as tf from '@tensorflow/tfjs';

/** The parts of a tfjs Dense layer read here (public at run time, not in the typings). */
interface DenseInternals {
  kernel: tf.LayerVariable;
  bias: tf.LayerVariable | null;
  activation: { getClassName(): string; apply(x: tf.Tensor): tf.Tensor };
  kernelRegularizer?: { apply(x: tf.Tensor): tf.Scalar };
}

/** Activations tfjs fuses into the matrix product (what `Dense.call` fuses). */
const FUSED = new Set(['relu', 'linear', 'elu']);

/** A forward pass for training: the output for a batch. */
export type TrainingForward = (x: tf.Tensor) => tf.Tensor;

/** A dense model's weights trained as one flat variable, and how to write them back into the model. */
export interface FlatDense {
  /** The one variable the optimizer updates. */
  readonly variable: tf.Variable;
  /** The training forward pass over slices of `variable`. */
  forward: TrainingForward;
  /** The kernels' regularisation penalties, over the same slices (so they have gradients). */
  penalties(): tf.Scalar[];
  /** Copies `variable` into the layers' own variables (before predicting, saving). */
  writeBack(): void;
  dispose(): void;
}

/**
 * For sequential models made only of Dense and Dropout layers (the linear and MLP families): all
 * weights as one flat variable, each layer's kernel and bias a slice of it. Adam and the other
 * optimizers are element-wise, so updating one variable gives the same numbers as updating six,
 * while the number of backend calls per step drops by about half: on wasm a small model's step is
 * mostly per-call overhead, and the optimizer's update of each variable was most of the calls
 * (docs/BENCHMARKS.md). The forward pass runs the kernels `Dense.call` and `Dropout.call` run (a
 * fused matMul + bias + activation where tfjs fuses it; `tf.dropout` with the layer's current seed).
 * Undefined for any other model, which trains through `model.apply`.
 */
export function flatDense(model: tf.LayersModel): FlatDense | undefined {
  const layers = model.layers;
  if (!layers.every((l) => ['Dense', 'Dropout'].includes(l.getClassName()))) return undefined;
  const own = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const offsets = new Map<tf.Tensor, { begin: number; size: number; shape: number[] }>();
  let total = 0;
  for (const v of own) {
    offsets.set(v, { begin: total, size: v.size, shape: v.shape });
    total += v.size;
  }
  const variable = tf.variable(
    tf.tidy(() => tf.concat(own.map((v) => v.reshape([-1])))),
    true,
    `${model.name}_flat`,
  );
  const piece = (v: tf.Tensor): tf.Tensor => {
    const { begin, size, shape } = offsets.get(v)!;
    return tf.reshape(tf.slice(variable, begin, size), shape);
  };
  const dense = layers.filter((l) => l.getClassName() === 'Dense') as unknown as DenseInternals[];
  return {
    variable,
    forward(x) {
      let h = x;
      for (const layer of layers) {
        if (layer.getClassName() === 'Dropout') {
          const { rate, seed } = layer as unknown as { rate: number; seed?: number };
          if (rate > 0) h = tf.dropout(h, rate, undefined, seed);
          continue;
        }
        const { kernel, bias, activation } = layer as unknown as DenseInternals;
        const name = activation.getClassName();
        const w = piece(kernel.read()) as tf.Tensor2D;
        const b = bias ? piece(bias.read()) : undefined;
        if (FUSED.has(name)) h = tf.fused.matMul({ a: h as tf.Tensor2D, b: w, bias: b, activation: name as tf.fused.Activation });
        else h = activation.apply(b ? tf.add(tf.matMul(h as tf.Tensor2D, w), b) : tf.matMul(h as tf.Tensor2D, w));
      }
      return h;
    },
    penalties: () => dense.flatMap((l) => (l.kernelRegularizer ? [l.kernelRegularizer.apply(piece(l.kernel.read()))] : [])),
    writeBack: () => tf.tidy(() => own.forEach((v) => v.assign(piece(v)))),
    dispose: () => variable.dispose(),
  };
}
