import type * as tf from '@tensorflow/tfjs';
import { BadRequestError } from '../../domain/errors';
import { buildModel } from '../artifact/in-memory-model';
import { readCsvTable } from '../data/csv-table';
import { encodeTraining, encodeValidation, ModelDataSpec, PreparedData, splitRows } from '../data/dataset-splits';
import { PreprocessingState } from '../data/preprocessing';
import type { Metrics } from '../metrics/metrics.types';
import { DEFAULT_BATCH_SIZE } from '../training/training-defaults';
import type { Params } from '../../search/space/space.types';
import { DEFAULT_DISTILL_TEMPERATURE, distillModel } from './distillation';
import { DEFAULT_FINE_TUNE_EPOCHS, pruneModel } from './pruning';
import { artifactFilesOf } from './variant-files';
import { measureArtifact } from './variant-measure';

/** A compressed variant asked for at promotion: magnitude pruning, or distillation into a smaller MLP. */
export type CompressionRequest = { kind: 'prune'; sparsity: number; fineTuneEpochs?: number } | { kind: 'distill'; into: Params; temperature?: number };

/** What a compressed variant costs and scores against the version it was made from, each measured on this thread. */
export interface CompressionInfo {
  kind: 'prune' | 'distill';
  /** The version it was made from. */
  of: number;
  /** The settings it was made with, defaults filled in. */
  settings: Record<string, unknown>;
  /** `weights.bin` bytes, and gzipped (level 9), of the variant and of the original. */
  weightBytes: number;
  baseWeightBytes: number;
  gzipBytes: number;
  baseGzipBytes: number;
  /** `gzipBytes / baseGzipBytes`: the stored size, where the zeros of pruning count. */
  sizeRatio: number;
  /** Fraction of all weights (kernels and biases) that are exactly zero. */
  zeroFraction: number;
  /** Median single-row prediction time in milliseconds, of the variant and of the original. */
  latencyMs: number;
  baseLatencyMs: number;
  /** The objective metric on the validation rows, before and after; `metricChange = value − baseValue`. */
  metric: string;
  baseValue: number;
  value: number;
  metricChange: number;
  /** Every validation metric of the variant, and its test metrics when the dataset holds test rows. */
  validation: Metrics;
  test: Metrics | null;
}

async function trainingData(spec: ModelDataSpec, prep: PreprocessingState): Promise<{ data: PreparedData; test?: PreparedData['validation'] }> {
  const table = await readCsvTable(spec.dataset.path);
  const rows = splitRows(table, spec);
  return {
    data: { preprocessing: prep, train: encodeTraining(prep, table, rows.train), validation: encodeValidation(prep, table, rows.validation) },
    ...(rows.test.length > 0 ? { test: encodeValidation(prep, table, rows.test) } : {}),
  };
}

/**
 * Makes a compressed variant of a promoted artifact (version `of`): pruned and fine-tuned, or a
 * student distilled from it, on the training rows of its dataset; then measures both the original
 * and the variant the same way (sizes, latency, validation and test metrics).
 */
export async function makeCompressedVariant(
  files: ReadonlyMap<string, Buffer>,
  request: CompressionRequest,
  spec: ModelDataSpec,
  prep: PreprocessingState,
  metric: string,
  of: number,
  seed: number,
): Promise<{ files: Map<string, Buffer>; info: CompressionInfo }> {
  const { data, test } = await trainingData(spec, prep);
  const signal = new AbortController().signal;
  const teacher = await buildModel(files);
  const layers = neuralModel(teacher.model, request.kind);
  let variant: Map<string, Buffer>;
  let settings: Record<string, unknown>;
  try {
    if (request.kind === 'prune') {
      settings = { sparsity: request.sparsity, fineTuneEpochs: request.fineTuneEpochs ?? DEFAULT_FINE_TUNE_EPOCHS };
      await pruneModel(layers, data, { ...(settings as { sparsity: number; fineTuneEpochs: number }), batchSize: DEFAULT_BATCH_SIZE, seed }, signal);
      variant = await artifactFilesOf(layers, prep);
    } else {
      settings = { into: request.into, temperature: request.temperature ?? DEFAULT_DISTILL_TEMPERATURE };
      const student = await distillModel(
        layers,
        data,
        { into: request.into, temperature: settings.temperature as number, batchSize: DEFAULT_BATCH_SIZE, seed },
        signal,
      );
      try {
        variant = await artifactFilesOf(student, prep);
      } finally {
        student.dispose();
      }
    }
  } finally {
    teacher.dispose();
  }
  const base = await measureArtifact(files, data.validation, test);
  const after = await measureArtifact(variant, data.validation, test);
  const need = (m: Metrics): number => {
    if (typeof m[metric] !== 'number') throw new Error(`metric ${metric} is not computed for a ${prep.task} model`);
    return m[metric];
  };
  return {
    files: variant,
    info: {
      kind: request.kind,
      of,
      settings,
      weightBytes: after.weightBytes,
      baseWeightBytes: base.weightBytes,
      gzipBytes: after.gzipBytes,
      baseGzipBytes: base.gzipBytes,
      sizeRatio: after.gzipBytes / base.gzipBytes,
      zeroFraction: after.zeroFraction,
      latencyMs: after.latencyMs,
      baseLatencyMs: base.latencyMs,
      metric,
      baseValue: need(base.validation),
      value: need(after.validation),
      metricChange: need(after.validation) - need(base.validation),
      validation: after.validation,
      test: after.test,
    },
  };
}

/** The layers model pruning and distillation work on; a family without one (a forest) is refused, naming the field. */
function neuralModel(model: tf.LayersModel | undefined, kind: 'prune' | 'distill'): tf.LayersModel {
  if (model) return model;
  throw new BadRequestError([{ path: kind, message: `${kind} needs a neural model (linear, mlp, cnn); this version's family has no weights to ${kind}` }]);
}
