import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../artifact/in-memory-model';
import { MODEL_JSON_FILE, WEIGHTS_FILE } from '../artifact/model-artifact';
import { ModelDataSpec, validationSplitOf, ValidationSplit } from '../data/dataset-splits';
import { PreprocessingState } from '../data/preprocessing';
import { metricsOfOutputs } from '../training/train';
import { QuantizeDtype, quantizeWeights, WeightSpec } from './quantization';

/** How a quantized variant compares with the float32 model it was made from. */
export interface QuantizationInfo {
  dtype: QuantizeDtype;
  /** Bytes of the quantized weights file over the original's. */
  sizeRatio: number;
  weightBytes: number;
  originalWeightBytes: number;
  /** The objective metric re-evaluated on the trial's validation split, before and after. */
  metric: string;
  originalValue: number;
  quantizedValue: number;
  /** `quantizedValue − originalValue`. */
  metricChange: number;
}

/** Whether an artifact has weight tensors to quantize (a TensorFlow.js layers model; a forest has none). */
export function isQuantizable(files: ReadonlyMap<string, Buffer>): boolean {
  const json = files.get(MODEL_JSON_FILE);
  return json !== undefined && Array.isArray((JSON.parse(json.toString('utf8')) as { weightsManifest?: unknown }).weightsManifest);
}

/** Rewrites an artifact's `model.json` and `weights.bin` with quantized weights. */
export function quantizeArtifact(files: ReadonlyMap<string, Buffer>, dtype: QuantizeDtype): Map<string, Buffer> {
  const modelJson = JSON.parse(files.get(MODEL_JSON_FILE)!.toString('utf8')) as tf.io.ModelJSON;
  if (!Array.isArray(modelJson.weightsManifest)) throw new Error(`quantization applies to the neural families; this model is a ${String(modelJson.format)}`);
  const specs = modelJson.weightsManifest.flatMap((g) => g.weights) as WeightSpec[];
  const q = quantizeWeights(specs, files.get(WEIGHTS_FILE)!, dtype);
  const paths = [`./${WEIGHTS_FILE}`];
  const json = { ...modelJson, weightsManifest: [{ paths, weights: q.specs as tf.io.WeightsManifestEntry[] }] };
  const out = new Map(files);
  out.set(MODEL_JSON_FILE, Buffer.from(JSON.stringify(json)));
  out.set(WEIGHTS_FILE, Buffer.from(q.data.buffer, q.data.byteOffset, q.data.byteLength));
  return out;
}

async function metricOf(files: ReadonlyMap<string, Buffer>, split: ValidationSplit, metric: string): Promise<number> {
  const built = await buildModel(files);
  try {
    const value = metricsOfOutputs(built.preprocessing, built.predictEncoded(split.x, split.n), split)[metric];
    if (typeof value !== 'number') throw new Error(`metric ${metric} is not computed for a ${built.preprocessing.task} model`);
    return value;
  } finally {
    built.dispose();
  }
}

/**
 * Quantizes an artifact and measures what it costs: the weights' size ratio and the change of the
 * objective metric, both models re-evaluated on the trial's validation split on this thread.
 */
export async function makeQuantizedVariant(
  files: ReadonlyMap<string, Buffer>,
  dtype: QuantizeDtype,
  spec: ModelDataSpec,
  prep: PreprocessingState,
  metric: string,
): Promise<{ files: Map<string, Buffer>; info: QuantizationInfo }> {
  const quantized = quantizeArtifact(files, dtype);
  const split = await validationSplitOf(spec, prep);
  const originalValue = await metricOf(files, split, metric);
  const quantizedValue = await metricOf(quantized, split, metric);
  const originalWeightBytes = files.get(WEIGHTS_FILE)!.byteLength;
  const weightBytes = quantized.get(WEIGHTS_FILE)!.byteLength;
  return {
    files: quantized,
    info: {
      dtype,
      sizeRatio: weightBytes / originalWeightBytes,
      weightBytes,
      originalWeightBytes,
      metric,
      originalValue,
      quantizedValue,
      metricChange: quantizedValue - originalValue,
    },
  };
}
