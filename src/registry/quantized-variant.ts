import * as tf from '@tensorflow/tfjs';
import { TfjsTrialConfig } from '../config/experiment-spec.types';
import { columnIndex, readCsvTable } from '../trials/datasets/csv-table';
import { holdoutSplit } from '../trials/datasets/holdout-split';
import { encodeClassLabels, encodeFeatures, PreprocessingState, readRegressionTargets } from '../trials/datasets/preprocessing';
import { MODEL_JSON_FILE, WEIGHTS_FILE } from '../trials/runtimes/tfjs/model-artifact';
import { validationMetrics, ValidationSplit } from '../trials/runtimes/tfjs/train';
import { QuantizationInfo } from '../storage/repositories/model-records';
import { buildModel } from './model-loader';
import { QuantizeDtype, quantizeWeights, WeightSpec } from './quantization';

/**
 * The trial's validation split, encoded with the stored preprocessing: the same seeded,
 * class-stratified hold-out the trial was scored on (see `prepareData` in the tfjs runtime).
 */
export async function validationSplitOf(spec: TfjsTrialConfig, prep: PreprocessingState): Promise<ValidationSplit> {
  const table = await readCsvTable(spec.dataset.path);
  const t = columnIndex(table, spec.dataset.target);
  const strata = spec.task === 'classification' ? table.rows.map((r) => String(r[t])) : undefined;
  const rows = holdoutSplit(table.rows.length, { ...spec.dataset.validation, strata }).validation;
  const split: ValidationSplit = { x: encodeFeatures(prep, table, rows), n: rows.length };
  if (prep.task === 'classification') split.labels = encodeClassLabels(prep, table, rows);
  else split.targets = readRegressionTargets(prep, table, rows);
  return split;
}

/** Rewrites an artifact's `model.json` and `weights.bin` with quantized weights. */
export function quantizeArtifact(files: ReadonlyMap<string, Buffer>, dtype: QuantizeDtype): Map<string, Buffer> {
  const modelJson = JSON.parse(files.get(MODEL_JSON_FILE)!.toString('utf8')) as tf.io.ModelJSON;
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
    const value = (await validationMetrics(built.model, built.preprocessing, split))[metric];
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
export async function makeQuantizedVariant(files: ReadonlyMap<string, Buffer>, dtype: QuantizeDtype, spec: TfjsTrialConfig, prep: PreprocessingState, metric: string): Promise<{ files: Map<string, Buffer>; info: QuantizationInfo }> {
  const quantized = quantizeArtifact(files, dtype);
  const split = await validationSplitOf(spec, prep);
  const originalValue = await metricOf(files, split, metric);
  const quantizedValue = await metricOf(quantized, split, metric);
  const originalWeightBytes = files.get(WEIGHTS_FILE)!.byteLength;
  const weightBytes = quantized.get(WEIGHTS_FILE)!.byteLength;
  return {
    files: quantized,
    info: { dtype, sizeRatio: weightBytes / originalWeightBytes, weightBytes, originalWeightBytes, metric, originalValue, quantizedValue, metricChange: quantizedValue - originalValue },
  };
}
