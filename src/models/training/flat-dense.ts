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

/** The loss a dense model trains on: softmax cross-entropy (classification) or mean squared error (regression). */
export type DenseLoss = 'classification' | 'regression';

/**
 * The gradient of a batch's loss (as the training loop's tape computes it: the clipped cross-entropy
 * or the mean squared error, plus the kernels' L2 penalties) with respect to the flat variable.
 */
export type FlatGradient = (x: tf.Tensor2D, yTrue: tf.Tensor2D, loss: DenseLoss) => tf.Tensor1D;

/** A dense model's weights trained as one flat variable, and how to write them back into the model. */
export interface FlatDense {
  /** The one variable the optimizer updates. */
  readonly variable: tf.Variable;
  /** The training forward pass over slices of `variable`. */
  forward: TrainingForward;
  /** The kernels' regularisation penalties, over the same slices (so they have gradients). */
  penalties(): tf.Scalar[];
  /**
   * The batch gradient written out by hand (forward pass, then backward through each layer), with no
   * gradient tape: a third of the backend calls of the tape's step. Undefined when a hidden
   * activation has no derivative written here (selu, swish, …) or a kernel has an L1 penalty; those
   * train through the tape.
   */
  gradient?: FlatGradient;
  /** The model's output (inference: no dropout) from the flat variable, without writing it back. */
  predict(x: tf.Tensor2D): tf.Tensor2D;
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
    const part = tf.slice(variable, begin, size);
    // A bias is already 1-D: no reshape (each one a backend call).
    return shape.length === 1 ? part : tf.reshape(part, shape);
  };
  const dense = layers.filter((l) => l.getClassName() === 'Dense') as unknown as DenseInternals[];
  const denseForward = (layer: DenseInternals, h: tf.Tensor, w = piece(layer.kernel.read()) as tf.Tensor2D): tf.Tensor => {
    const { bias, activation } = layer;
    const name = activation.getClassName();
    const b = bias ? piece(bias.read()) : undefined;
    if (FUSED.has(name)) return tf.fused.matMul({ a: h as tf.Tensor2D, b: w, bias: b, activation: name as tf.fused.Activation });
    return activation.apply(b ? tf.add(tf.matMul(h as tf.Tensor2D, w), b) : tf.matMul(h as tf.Tensor2D, w));
  };
  const byHand = handWrittenGradient(layers, own, piece, denseForward, variable);
  return {
    variable,
    forward(x) {
      let h = x;
      for (const layer of layers) {
        if (layer.getClassName() === 'Dropout') {
          const { rate, seed } = layer as unknown as DropoutInternals;
          if (rate > 0) h = tf.dropout(h, rate, undefined, seed);
          continue;
        }
        h = denseForward(layer as unknown as DenseInternals, h);
      }
      return h;
    },
    penalties: () => dense.flatMap((l) => (l.kernelRegularizer ? [l.kernelRegularizer.apply(piece(l.kernel.read()))] : [])),
    gradient: byHand?.gradient,
    predict: (x) => dense.reduce<tf.Tensor>((h, layer) => denseForward(layer, h), x) as tf.Tensor2D,
    writeBack: () => tf.tidy(() => own.forEach((v) => v.assign(piece(v)))),
    dispose: () => {
      byHand?.dispose();
      variable.dispose();
    },
  };
}

/** The parts of a tfjs Dropout layer read here. */
interface DropoutInternals {
  rate: number;
  seed?: number;
}

/** The smallest probability the cross-entropy takes the log of (the training loop's clip). */
const PROB_EPS = 1e-7;

/**
 * The derivative of each hidden activation this gradient knows, from the activation's output `y`:
 * the expressions tfjs' own gradients use (Relu, Tanh, Sigmoid, Elu), so the numbers are the tape's.
 */
const DERIVATIVES: Record<string, (dy: tf.Tensor, y: tf.Tensor) => tf.Tensor> = {
  linear: (dy) => dy,
  relu: (dy, y) => tf.mul(dy, tf.step(y)),
  tanh: (dy, y) => tf.mul(tf.sub(1, tf.square(y)), dy),
  sigmoid: (dy, y) => tf.mul(dy, tf.mul(y, tf.sub(1, y))),
  elu: (dy, y) => tf.engine().runKernel('EluGrad', { dy, y }) as tf.Tensor,
};

/**
 * The flat gradient of {@link FlatDense.gradient}, or undefined when some layer is outside what it
 * derives (an activation without a derivative above, an output other than softmax or linear, an L1
 * penalty). Forward: each dense layer's fused matMul + bias + activation, each dropout's mask drawn
 * as `tf.dropout` draws it (same seed, same expression), so the batch sees the tape's numbers.
 * Backward, from the output: softmax cross-entropy gives `(p · Σy' − y') / n` with `y'` the
 * (class-weighted) targets where the probability was above the clip (the clip's gradient is zero
 * below it), mean squared error `2 (ŷ − y) / (n k)`; then per layer `dW = hᵀ dZ (+ 2 l2 W)`,
 * `db = Σ dZ`, `dh = dZ Wᵀ`, times the dropout mask and the activation's derivative.
 */
function handWrittenGradient(
  layers: readonly tf.layers.Layer[],
  own: readonly tf.Variable[],
  piece: (v: tf.Tensor) => tf.Tensor,
  denseForward: (layer: DenseInternals, h: tf.Tensor, w: tf.Tensor2D) => tf.Tensor,
  variable: tf.Variable,
): { gradient: FlatGradient; dispose(): void } | undefined {
  const dense = layers.filter((l) => l.getClassName() === 'Dense') as unknown as DenseInternals[];
  const last = dense[dense.length - 1];
  const outputName = last?.activation.getClassName();
  if (!last || !['softmax', 'linear'].includes(outputName)) return undefined;
  const l2Of = (l: DenseInternals): number | undefined => {
    const r = l.kernelRegularizer as { l1?: number; l2?: number } | undefined;
    if (!r) return 0;
    return r.l1 === 0 && typeof r.l2 === 'number' ? r.l2 : undefined;
  };
  if (dense.some((l) => l2Of(l) === undefined)) return undefined;
  if (dense.slice(0, -1).some((l) => !DERIVATIVES[l.activation.getClassName()])) return undefined;
  // Each kernel's 2·l2 at its place in the flat variable (0 for biases): the penalties' gradient is `coefficients · variable`.
  const coefficients = new Float32Array(variable.size);
  let at = 0;
  for (const v of own) {
    const owner = dense.find((l) => l.kernel.read() === v);
    const l2 = owner ? l2Of(owner)! : 0;
    if (l2 > 0) coefficients.fill(2 * l2, at, at + v.size);
    at += v.size;
  }
  const penaltyCoefficients = coefficients.some((c) => c > 0) ? tf.tensor1d(coefficients) : undefined;
  // A row of ones per batch size (the full batches and the last one), kept across steps.
  const onesRows = new Map<number, tf.Tensor2D>();
  const onesRow = (n: number): tf.Tensor2D => {
    const row = onesRows.get(n) ?? tf.keep(tf.ones([1, n]) as tf.Tensor2D);
    onesRows.set(n, row);
    return row;
  };
  // Steps of the forward pass, in order: a dense layer or a dropout between them.
  type Step = { dense: DenseInternals } | { rate: number; layer: DropoutInternals };
  const steps: Step[] = layers.map((l) =>
    l.getClassName() === 'Dense'
      ? { dense: l as unknown as DenseInternals }
      : { rate: (l as unknown as DropoutInternals).rate, layer: l as unknown as DropoutInternals },
  );
  const gradient: FlatGradient = (x, yTrue, loss) => {
    const n = x.shape[0];
    // Forward, keeping each dense layer's input and output and each dropout's multiplier.
    const inputs: tf.Tensor2D[] = [];
    const kernels: tf.Tensor2D[] = [];
    const outputs: tf.Tensor2D[] = [];
    const masks = new Map<number, tf.Tensor>();
    let h = x as tf.Tensor2D;
    for (const step of steps) {
      if (!('dense' in step)) {
        if (step.rate > 0) {
          const keep = 1 - step.rate;
          const multiplier = tf.div(tf.floor(tf.add(tf.randomUniform(h.shape, 0, 1, 'float32', step.layer.seed), keep)), keep);
          masks.set(inputs.length, multiplier);
          h = tf.mul(h, multiplier);
        }
        continue;
      }
      inputs.push(h);
      kernels.push(piece(step.dense.kernel.read()) as tf.Tensor2D);
      h = denseForward(step.dense, h, kernels[kernels.length - 1]) as tf.Tensor2D;
      outputs.push(h);
    }
    // The output layer's dZ.
    let dz: tf.Tensor;
    const yHat = outputs[outputs.length - 1];
    if (loss === 'classification' && outputName === 'softmax') {
      const kept = tf.mul(yTrue, tf.cast(tf.greaterEqual(yHat, PROB_EPS), 'float32'));
      dz = tf.div(tf.sub(tf.mul(yHat, tf.sum(kept, -1, true)), kept), n);
    } else if (loss === 'regression' && outputName === 'linear') {
      dz = tf.mul(tf.sub(yHat, yTrue), 2 / (n * yHat.shape[1]));
    } else {
      throw new Error(`a ${loss} loss on a ${outputName} output has no hand-written gradient`);
    }
    // Backward through the dense layers, last to first. On wasm a matMul with a transposed operand
    // is several times slower than a transpose and a plain matMul, and a column sum slower than a
    // product with a row of ones, hence the explicit transposes and `ones`.
    const grads = new Map<tf.Tensor, tf.Tensor>();
    const ones = onesRow(n);
    for (let j = dense.length - 1; j >= 0; j--) {
      const layer = dense[j];
      if (j < dense.length - 1) dz = DERIVATIVES[layer.activation.getClassName()](dz, outputs[j]);
      grads.set(layer.kernel.read(), tf.matMul(tf.transpose(inputs[j]), dz as tf.Tensor2D));
      if (layer.bias) grads.set(layer.bias.read(), tf.reshape(tf.matMul(ones, dz as tf.Tensor2D), [-1]));
      if (j > 0) {
        let dh = tf.matMul(dz as tf.Tensor2D, tf.transpose(kernels[j]));
        const mask = masks.get(j);
        if (mask) dh = tf.mul(dh, mask);
        dz = dh;
      }
    }
    const flat = tf.concat(own.map((v) => (v.rank === 1 ? grads.get(v)! : tf.reshape(grads.get(v)!, [-1])))) as tf.Tensor1D;
    return penaltyCoefficients ? (tf.add(flat, tf.mul(penaltyCoefficients, variable)) as tf.Tensor1D) : flat;
  };
  return {
    gradient,
    dispose: () => {
      penaltyCoefficients?.dispose();
      onesRows.forEach((row) => row.dispose());
    },
  };
}
