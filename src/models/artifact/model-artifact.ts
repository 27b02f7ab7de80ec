import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { parsePreprocessing, PreprocessingState, RawRow, serializePreprocessing, unscaleTargets } from '../data/preprocessing';
import { transformRows } from '../data/row-encoding';
import { argmaxRows } from '../metrics/classification.metrics';
import { initTfjsBackend } from '../tfjs/backend';
import { BackendPreference } from '../tfjs/native-binding';

import { ARTIFACT_FORMATS } from '../families/registry';
import { MODEL_JSON_FILE, PREPROCESSING_FILE, WEIGHTS_FILE } from './artifact-files';

export { MODEL_JSON_FILE, PREPROCESSING_FILE, WEIGHTS_FILE } from './artifact-files';

/** One classification prediction: the most probable label and every label's probability. */
export interface ClassPrediction {
  label: string;
  probabilities: Record<string, number>;
}

/** One regression prediction, in the target's own units. */
export interface ValuePrediction {
  value: number;
}

/** A prediction of a trained model. */
export type Prediction = ClassPrediction | ValuePrediction;

/** A trained model loaded back from its artifact folder, ready to serve. */
export interface TrainedModel {
  /** The TensorFlow.js model, for the neural families; absent for a family with its own format (a forest). */
  model?: tf.LayersModel;
  preprocessing: PreprocessingState;
  /** Predicts raw rows (arrays in feature order or objects keyed by feature name); throws on bad rows. */
  predict(rows: readonly RawRow[]): Prediction[];
  /** The model's outputs for encoded rows (`n × inputSize`): class probabilities or the scaled target, `n × outputs`. */
  predictEncoded(x: Float32Array, n: number): Float32Array;
  dispose(): void;
}

/**
 * Writes a trained model into `dir` as `model.json` (layers format, its weights manifest pointing
 * at `weights.bin`), `weights.bin` and `preprocessing.json`; resolves to those file names. A
 * custom save handler is used because plain `@tensorflow/tfjs` has no `file://` handler in Node.
 */
export async function saveTrainedModel(model: tf.LayersModel, preprocessing: PreprocessingState, dir: string): Promise<string[]> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = artifacts.weightData ? tf.io.CompositeArrayBuffer.join(artifacts.weightData) : new ArrayBuffer(0);
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as object,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs ?? [] }],
      };
      await writeFile(path.join(dir, WEIGHTS_FILE), Buffer.from(weights));
      await writeFile(path.join(dir, MODEL_JSON_FILE), JSON.stringify(modelJson));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.byteLength } };
    }),
  );
  await writeFile(path.join(dir, PREPROCESSING_FILE), serializePreprocessing(preprocessing));
  return [MODEL_JSON_FILE, WEIGHTS_FILE, PREPROCESSING_FILE];
}

/** Turns model outputs into predictions. */
export function toPredictions(preprocessing: PreprocessingState, output: ArrayLike<number>, n: number): Prediction[] {
  if (preprocessing.task === 'regression') {
    return Array.from(unscaleTargets(preprocessing, output), (value) => ({ value }));
  }
  const classes = preprocessing.classes!;
  const k = classes.length;
  const best = argmaxRows(output, k);
  return Array.from({ length: n }, (_, i) => {
    const probabilities: Record<string, number> = {};
    classes.forEach((c, j) => (probabilities[c] = output[i * k + j]));
    return { label: classes[best[i]], probabilities };
  });
}

/** Options of {@link loadTrainedModel}. */
export interface LoadOptions {
  /** Backend to initialise first if this thread has none yet (default: from the environment). */
  backend?: BackendPreference;
}

/**
 * Loads a model saved by {@link saveTrainedModel} from `dir`, initialising this thread's backend if
 * needed. Checks that the model's input width matches the preprocessing.
 *
 * Serving on the main thread of a process whose pool also trains tfjs trials: pass
 * `backend: 'wasm'` when a native binding is installed, because the native addon loads in one
 * thread per process only (see `nativeBackendAvailable`); the trial thread would otherwise fall
 * back from native to wasm.
 */
export async function loadTrainedModel(dir: string, options: LoadOptions = {}): Promise<TrainedModel> {
  await initTfjsBackend(options.backend);
  const read = async (file: string): Promise<Buffer> => {
    try {
      return await readFile(path.join(dir, file));
    } catch (err) {
      throw new Error(`cannot read ${file} of the model in ${dir}: ${(err as Error).message}`);
    }
  };
  const [modelJson, weights, preprocessing] = await Promise.all([read(MODEL_JSON_FILE), read(WEIGHTS_FILE), read(PREPROCESSING_FILE)]);
  return trainedModelFromBytes({ modelJson, weights, preprocessing }, dir);
}

/** The three files of a saved model, as bytes. */
export interface ArtifactBytes {
  modelJson: Buffer;
  weights: Buffer;
  preprocessing: Buffer;
}

/**
 * Builds a model from the bytes of its saved files on the thread's current backend, checking that
 * its input width matches the preprocessing. `source` names the artifact in error messages.
 * The registry builds from bytes it has just verified, so what runs is exactly what was checked.
 */
export async function trainedModelFromBytes(files: ArtifactBytes, source: string): Promise<TrainedModel> {
  const modelJson = JSON.parse(files.modelJson.toString('utf8')) as tf.io.ModelJSON & { format?: string };
  const preprocessing = parsePreprocessing(files.preprocessing.toString('utf8'), path.join(source, PREPROCESSING_FILE));
  const own = modelJson.format !== undefined ? ARTIFACT_FORMATS[modelJson.format] : undefined;
  if (own) {
    let predictor;
    try {
      predictor = own.load(modelJson as unknown as Record<string, unknown>, preprocessing);
    } catch (error) {
      throw new Error(`${source}: ${(error as Error).message}`);
    }
    return withPredict(preprocessing, predictor.predictEncoded, predictor.dispose);
  }
  const weightSpecs = modelJson.weightsManifest.flatMap((group) => group.weights);
  // Copy into a fresh ArrayBuffer: a Buffer may be a view into a larger shared pool.
  const weightData = files.weights.buffer.slice(files.weights.byteOffset, files.weights.byteOffset + files.weights.byteLength) as ArrayBuffer;
  const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs, weightData, format: modelJson.format }));
  const inputWidth = (model.inputs[0].shape as number[])[1];
  if (inputWidth !== preprocessing.inputSize) {
    model.dispose();
    throw new Error(`${source}: model expects ${inputWidth} inputs but preprocessing encodes ${preprocessing.inputSize}`);
  }
  const predictEncoded = (x: Float32Array, n: number): Float32Array => {
    const output = tf.tidy(() => model.predict(tf.tensor2d(x, [n, preprocessing.inputSize])) as tf.Tensor);
    try {
      return output.dataSync() as Float32Array;
    } finally {
      output.dispose();
    }
  };
  return { model, ...withPredict(preprocessing, predictEncoded, () => model.dispose()) };
}

/** A trained model around a function from encoded rows to outputs: every family predicts raw rows the same way. */
function withPredict(preprocessing: PreprocessingState, predictEncoded: (x: Float32Array, n: number) => Float32Array, dispose: () => void): TrainedModel {
  return {
    preprocessing,
    predictEncoded,
    dispose,
    predict(rows) {
      if (rows.length === 0) return [];
      return toPredictions(preprocessing, predictEncoded(transformRows(preprocessing, rows), rows.length), rows.length);
    },
  };
}
