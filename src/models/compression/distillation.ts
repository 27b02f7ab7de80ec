import * as tf from '@tensorflow/tfjs';
import type { PreparedData } from '../data/dataset-splits';
import { buildMlp, createOptimizer } from '../families/mlp/mlp';
import { resolveMlpHyperparameters } from '../families/mlp/mlp-hyperparameters';
import type { TrainingMonitor } from '../training/training-monitor';
import { trainModel } from '../training/train';
import type { Params } from '../../search/space/space.types';

/** Softmax temperature of the teacher's soft labels when the config says nothing. */
export const DEFAULT_DISTILL_TEMPERATURE = 2;

/** Epochs the student trains when `into` says nothing. */
export const DEFAULT_DISTILL_EPOCHS = 40;

/** How to distil. */
export interface DistillOptions {
  /** The student: MLP hyperparameters (`hidden_layers`, `hidden_units`, `activation`, `learning_rate`, `epochs`, ...). */
  into: Params;
  /** Soft labels are `p^(1/T)` renormalised: above 1 they carry more of the teacher's view of the other classes. */
  temperature: number;
  batchSize: number;
  seed: number;
}

/** The teacher's soft labels for encoded rows: tempered probabilities (classification) or its outputs on the trained scale (regression). */
export function softLabels(
  teacher: tf.LayersModel,
  x: Float32Array,
  n: number,
  d: number,
  task: 'classification' | 'regression',
  temperature: number,
): Float32Array {
  return tf
    .tidy(() => {
      const out = teacher.predict(tf.tensor2d(x, [n, d])) as tf.Tensor2D;
      if (task === 'regression' || temperature === 1) return out.dataSync() as Float32Array;
      const tempered = tf.pow(tf.clipByValue(out, 1e-12, 1), 1 / temperature);
      return tf.div(tempered, tf.sum(tempered, -1, true)).dataSync() as Float32Array;
    })
    .slice();
}

/**
 * Trains a smaller MLP (the student) on the teacher's soft labels for the training rows, scored on
 * the same validation rows; the student keeps the teacher's preprocessing, so it serves the same inputs.
 */
export async function distillModel(teacher: tf.LayersModel, data: PreparedData, options: DistillOptions, signal: AbortSignal): Promise<tf.LayersModel> {
  const prep = data.preprocessing;
  const k = prep.task === 'classification' ? prep.classes!.length : 1;
  const y = softLabels(teacher, data.train.x, data.train.n, prep.inputSize, prep.task, options.temperature);
  const hp = resolveMlpHyperparameters(options.into, { epochs: DEFAULT_DISTILL_EPOCHS, batchSize: options.batchSize });
  const student = buildMlp(hp, { task: prep.task, inputSize: prep.inputSize, outputSize: k }, options.seed);
  const optimizer = createOptimizer(hp);
  const silent: TrainingMonitor = { signal, report: async () => undefined, shouldPrune: () => false };
  try {
    await trainModel(
      student,
      optimizer,
      prep,
      { ...data.train, y },
      data.validation,
      { epochs: hp.epochs, batchSize: hp.batch_size, seed: options.seed },
      silent,
    );
    return student;
  } catch (error) {
    student.dispose();
    throw error;
  } finally {
    optimizer.dispose();
  }
}
