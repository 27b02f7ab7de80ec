import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { MODEL_JSON_FILE, PREPROCESSING_FILE, trainedModelFromBytes, WEIGHTS_FILE } from '../artifact/model-artifact';

/** The metrics of what serving a trained model costs, reported by every tfjs trial beside its validation metrics. */
export const DEPLOYMENT_METRICS = ['model_bytes', 'predict_ms'] as const;

/** Timed single-row predictions after one warm-up, whose median is `predict_ms`. */
export const PREDICT_REPEATS = 7;

/**
 * `model_bytes`: the size of the saved model as the registry stores and serves it (topology and
 * weights); `predict_ms`: the median wall time of predicting one encoded row with the model read
 * back from `artifactDir`, as serving loads it (any family: a layers model, a forest), on this
 * thread's backend: the latency one request to the service sees before batching.
 */
export async function deploymentMetrics(artifactDir: string, row: Float32Array): Promise<{ model_bytes: number; predict_ms: number }> {
  const [modelJson, weights, preprocessing] = await Promise.all(
    [MODEL_JSON_FILE, WEIGHTS_FILE, PREPROCESSING_FILE].map((f) => readFile(path.join(artifactDir, f))),
  );
  const model = await trainedModelFromBytes({ modelJson, weights, preprocessing }, artifactDir);
  try {
    const once = (): number => {
      const started = performance.now();
      model.predictEncoded(row, 1);
      return performance.now() - started;
    };
    once();
    const times: number[] = [];
    for (let k = 0; k < PREDICT_REPEATS; k++) times.push(once());
    times.sort((a, b) => a - b);
    return { model_bytes: modelJson.byteLength + weights.byteLength, predict_ms: times[Math.floor(times.length / 2)] };
  } finally {
    model.dispose();
  }
}
