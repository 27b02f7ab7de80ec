import { stat } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs';
import { MODEL_JSON_FILE, WEIGHTS_FILE } from '../artifact/model-artifact';

/** The metrics of what serving a trained model costs, reported by every tfjs trial beside its validation metrics. */
export const DEPLOYMENT_METRICS = ['model_bytes', 'predict_ms'] as const;

/** Timed single-row predictions after one warm-up, whose median is `predict_ms`. */
export const PREDICT_REPEATS = 7;

/**
 * `model_bytes`: the size of the saved model as the registry stores and serves it (topology and
 * weights); `predict_ms`: the median wall time of predicting one row on this thread's backend,
 * the latency one request to the service sees before batching.
 */
export async function deploymentMetrics(model: tf.LayersModel, artifactDir: string, row: Float32Array): Promise<{ model_bytes: number; predict_ms: number }> {
  const sizes = await Promise.all([MODEL_JSON_FILE, WEIGHTS_FILE].map((f) => stat(path.join(artifactDir, f)).then((s) => s.size)));
  const input = tf.tensor2d(row, [1, row.length]);
  try {
    const once = async (): Promise<number> => {
      const started = performance.now();
      const out = model.predict(input) as tf.Tensor;
      await out.data();
      out.dispose();
      return performance.now() - started;
    };
    await once();
    const times: number[] = [];
    for (let k = 0; k < PREDICT_REPEATS; k++) times.push(await once());
    times.sort((a, b) => a - b);
    return { model_bytes: sizes[0] + sizes[1], predict_ms: times[Math.floor(times.length / 2)] };
  } finally {
    input.dispose();
  }
}
