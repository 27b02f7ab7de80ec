import type { LearningTask } from '../data/preprocessing';

/** Final or intermediate metric values by name (`val_loss`, `val_accuracy`, ...). */
export type Metrics = Record<string, number>;

/**
 * The validation metrics a built-in model reports each epoch, by task; an experiment that trains a
 * built-in model must optimise one of these.
 */
export const VALIDATION_METRICS: Readonly<Record<LearningTask, readonly string[]>> = {
  classification: ['val_loss', 'val_accuracy', 'val_f1', 'val_auc'],
  regression: ['val_loss', 'val_rmse', 'val_mae', 'val_r2'],
};
