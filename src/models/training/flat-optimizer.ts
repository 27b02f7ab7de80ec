import * as tf from '@tensorflow/tfjs';

/** An optimizer step over one flat variable, in JavaScript. */
export interface FlatOptimizer {
  /** Updates `variable` from its gradient (one backend download, one upload). */
  step(gradient: tf.Tensor1D): void;
}

/** What a tfjs optimizer's `getConfig()` returns for the ones mirrored here. */
interface OptimizerConfig {
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number | null;
  momentum?: number;
  useNesterov?: boolean;
}

/**
 * The update of `optimizer` (Adam, SGD, classical momentum) applied to `variable` in plain
 * JavaScript over Float32Arrays, with the formulas and constants of tfjs' own optimizers, so a step
 * gives the same numbers (up to float rounding) while issuing none of the dozen backend calls
 * tfjs' update makes per variable: on wasm each call costs more than the arithmetic of a small
 * model's whole update (docs/BENCHMARKS.md). The state (moments, accumulators) starts at zero like
 * a fresh tfjs optimizer's. Undefined for any other optimizer (RMSProp), which keeps tfjs' update.
 */
export function flatOptimizer(optimizer: tf.Optimizer, variable: tf.Variable): FlatOptimizer | undefined {
  const config = optimizer.getConfig() as OptimizerConfig;
  const name = optimizer.getClassName();
  const values = variable.dataSync().slice() as Float32Array;
  const n = values.length;
  const lr = config.learningRate!;
  const write = (): void => variable.assign(tf.tensor1d(values));
  if (name === 'Adam') {
    const beta1 = config.beta1!;
    const beta2 = config.beta2!;
    // tfjs' Adam takes the backend's epsilon when none is given (1e-7 on the float32 backends).
    const epsilon = config.epsilon ?? tf.backend().epsilon();
    const m = new Float32Array(n);
    const v = new Float32Array(n);
    // accBeta1 and accBeta2 start at beta1 and beta2 and are multiplied by them after each step.
    let accBeta1 = Math.fround(beta1);
    let accBeta2 = Math.fround(beta2);
    return {
      step(gradient) {
        const g = gradient.dataSync();
        const c1 = Math.fround(1 - accBeta1);
        const c2 = Math.fround(1 - accBeta2);
        for (let i = 0; i < n; i++) {
          const gi = g[i];
          const mi = (m[i] = m[i] * beta1 + gi * (1 - beta1));
          const vi = (v[i] = v[i] * beta2 + gi * gi * (1 - beta2));
          values[i] += (mi / c1 / (Math.sqrt(vi / c2) + epsilon)) * -lr;
        }
        accBeta1 = Math.fround(accBeta1 * beta1);
        accBeta2 = Math.fround(accBeta2 * beta2);
        write();
      },
    };
  }
  if (name === 'SGD') {
    return {
      step(gradient) {
        const g = gradient.dataSync();
        for (let i = 0; i < n; i++) values[i] -= lr * g[i];
        write();
      },
    };
  }
  if (name === 'Momentum' && !config.useNesterov) {
    const momentum = config.momentum!;
    const accumulation = new Float32Array(n);
    return {
      step(gradient) {
        const g = gradient.dataSync();
        for (let i = 0; i < n; i++) {
          const a = (accumulation[i] = momentum * accumulation[i] + g[i]);
          values[i] -= lr * a;
        }
        write();
      },
    };
  }
  return undefined;
}
