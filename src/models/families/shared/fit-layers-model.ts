import type * as tf from '@tensorflow/tfjs';
import { saveTrainedModel } from '../../artifact/model-artifact';
import type { PreparedData } from '../../data/dataset-splits';
import { trainModel } from '../../training/train';
import type { TrainingMonitor } from '../../training/training-monitor';
import type { FitRequest, FittedModel } from '../family.types';
import { createOptimizer, OptimizerHyperparameters } from './optimizer';

/**
 * Trains a TensorFlow.js layers model built by a neural family with the shared loop (epochs,
 * batches, early stopping, pruning) and wraps it for saving. The model is disposed on failure.
 */
export async function fitLayersModel(
  model: tf.LayersModel,
  hp: OptimizerHyperparameters,
  data: PreparedData,
  request: FitRequest,
  ctx: TrainingMonitor,
): Promise<FittedModel> {
  const optimizer = createOptimizer(hp);
  try {
    const result = await trainModel(
      model,
      optimizer,
      data.preprocessing,
      data.train,
      data.validation,
      { epochs: hp.epochs, batchSize: hp.batch_size, seed: request.seed, ...(request.earlyStopping ? { earlyStopping: request.earlyStopping } : {}) },
      ctx,
    );
    return {
      ...result,
      save: (dir) => saveTrainedModel(model, data.preprocessing, dir),
      dispose: () => model.dispose(),
    };
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    optimizer.dispose();
  }
}
