import type * as tf from '@tensorflow/tfjs';
import { PreprocessingState, RawRow } from '../data/preprocessing';
import { initTfjsBackend } from '../tfjs/backend';
import { MODEL_JSON_FILE, PREPROCESSING_FILE, Prediction, trainedModelFromBytes, WEIGHTS_FILE } from './model-artifact';

/** The files of a tfjs artifact, in the order they are stored. */
export const ARTIFACT_FILES = [MODEL_JSON_FILE, WEIGHTS_FILE, PREPROCESSING_FILE] as const;

/** A model built in memory from an artifact's bytes, ready to predict. */
export interface InMemoryModel {
  /** The TensorFlow.js model of a neural family; absent for a family with its own format. */
  model?: tf.LayersModel;
  preprocessing: PreprocessingState;
  /** Bytes of the artifact it was built from (for the cache's byte bound). */
  bytes: number;
  /** Predicts validated raw rows as one batch: one tensor in, one read back. */
  predict(rows: readonly RawRow[]): Prediction[];
  /** The outputs for encoded rows (see `TrainedModel.predictEncoded`). */
  predictEncoded(x: Float32Array, n: number): Float32Array;
  dispose(): void;
}

function need(files: ReadonlyMap<string, Buffer>, name: string): Buffer {
  const data = files.get(name);
  if (!data) throw new Error(`the artifact has no ${name}`);
  return data;
}

/**
 * Builds a model from the bytes of `model.json`, `weights.bin` and `preprocessing.json`, on the
 * wasm backend: serving runs on the main thread, which must stay off a native binding so the
 * trial worker can have it. Building from bytes already checked (rather than reading the folder
 * again) means what runs is exactly what was verified.
 */
export async function buildModel(files: ReadonlyMap<string, Buffer>, source = 'registry artifact'): Promise<InMemoryModel> {
  await initTfjsBackend('wasm');
  const trained = await trainedModelFromBytes(
    { modelJson: need(files, MODEL_JSON_FILE), weights: need(files, WEIGHTS_FILE), preprocessing: need(files, PREPROCESSING_FILE) },
    source,
  );
  const bytes = [...files.values()].reduce((s, b) => s + b.byteLength, 0);
  return { ...trained, bytes };
}
