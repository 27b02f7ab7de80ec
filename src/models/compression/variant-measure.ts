import { gzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../artifact/in-memory-model';
import { WEIGHTS_FILE } from '../artifact/model-artifact';
import { asTestMetrics } from '../artifact/test-score';
import { ValidationSplit } from '../data/dataset-splits';
import type { Metrics } from '../metrics/metrics.types';
import { validationMetrics } from '../training/train';

/** Single-row predictions timed for a latency figure (after one warm-up call). */
export const LATENCY_RUNS = 25;

/** What a model artifact costs and scores, measured on this thread. */
export interface ArtifactMeasurement {
  /** Bytes of `weights.bin`. */
  weightBytes: number;
  /** Bytes of `weights.bin` gzipped (level 9): what zeros from pruning save in storage and transfer. */
  gzipBytes: number;
  /** Weights that are exactly zero, over all weights. */
  zeroFraction: number;
  /** Median wall time of one single-row prediction, in milliseconds. */
  latencyMs: number;
  validation: Metrics;
  /** On the test rows (`test_*`), when the dataset holds some out. */
  test: Metrics | null;
}

/** Gzipped size of a buffer at level 9 (the figure recorded and re-measured). */
export const gzipSize = (data: Buffer): number => gzipSync(data, { level: 9 }).byteLength;

function zeroFraction(weights: Buffer): number {
  const values = new Float32Array(new Uint8Array(weights).buffer);
  let zeros = 0;
  for (const v of values) if (v === 0) zeros++;
  return values.length === 0 ? 0 : zeros / values.length;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Measures an artifact: sizes, zero weights, single-row latency, validation and test metrics. */
export async function measureArtifact(
  files: ReadonlyMap<string, Buffer>,
  validation: ValidationSplit,
  test: ValidationSplit | undefined,
): Promise<ArtifactMeasurement> {
  const weights = files.get(WEIGHTS_FILE)!;
  const built = await buildModel(files);
  try {
    const model = built.model;
    if (!model) throw new Error('a compressed variant is always a layers model');
    const d = built.preprocessing.inputSize;
    const one = validation.x.subarray(0, d);
    const times: number[] = [];
    for (let i = 0; i <= LATENCY_RUNS; i++) {
      const start = performance.now();
      const out = tf.tidy(() => model.predict(tf.tensor2d(one, [1, d])) as tf.Tensor);
      out.dataSync();
      out.dispose();
      if (i > 0) times.push(performance.now() - start);
    }
    return {
      weightBytes: weights.byteLength,
      gzipBytes: gzipSize(weights),
      zeroFraction: zeroFraction(weights),
      latencyMs: median(times),
      validation: await validationMetrics(model, built.preprocessing, validation),
      test: test ? asTestMetrics(await validationMetrics(model, built.preprocessing, test)) : null,
    };
  } finally {
    built.dispose();
  }
}
