import { PreprocessingState } from '../data/preprocessing';
import { UNKNOWN_CATEGORY } from '../data/row-encoding';

/** One input feature a model version expects. */
export interface InputFeature {
  name: string;
  type: 'numeric' | 'categorical';
  /** Categorical: the categories seen in training (others go to the "unknown" bucket, all zeros). */
  categories?: string[];
  /** What a missing value becomes: a number (numeric), a category, or "unknown". */
  missingBecomes?: number | string;
}

/** What a model version takes and gives: read from its preprocessing when it is promoted. */
export interface InputSchema {
  task: 'classification' | 'regression';
  target: string;
  features: InputFeature[];
  /** Classification: the labels it predicts. */
  classes?: string[];
  /** ID-like columns the model does not take, with why. */
  dropped?: { name: string; reason: string }[];
}

/** The input schema of a preprocessing: feature names and types, classes, task. */
export function schemaOf(prep: PreprocessingState): InputSchema {
  return {
    task: prep.task,
    target: prep.target,
    features: prep.features.map((f) =>
      f.kind === 'numeric'
        ? { name: f.name, type: 'numeric' as const, missingBecomes: f.fill ?? f.mean }
        : {
            name: f.name,
            type: 'categorical' as const,
            categories: f.categories,
            missingBecomes: f.impute === 'mode' && f.fill !== undefined ? f.fill : UNKNOWN_CATEGORY,
          },
    ),
    ...(prep.classes ? { classes: prep.classes } : {}),
    ...(prep.dropped ? { dropped: prep.dropped } : {}),
  };
}
