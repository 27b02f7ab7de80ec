import { PreprocessingState } from '../data/preprocessing';

/** One input feature a model version expects. */
export interface InputFeature {
  name: string;
  type: 'numeric' | 'categorical';
  /** Categorical: the categories seen in training (others encode as all zeros). */
  categories?: string[];
}

/** What a model version takes and gives: read from its preprocessing when it is promoted. */
export interface InputSchema {
  task: 'classification' | 'regression';
  target: string;
  features: InputFeature[];
  /** Classification: the labels it predicts. */
  classes?: string[];
}

/** The input schema of a preprocessing: feature names and types, classes, task. */
export function schemaOf(prep: PreprocessingState): InputSchema {
  return {
    task: prep.task,
    target: prep.target,
    features: prep.features.map((f) =>
      f.kind === 'numeric' ? { name: f.name, type: 'numeric' as const } : { name: f.name, type: 'categorical' as const, categories: f.categories },
    ),
    ...(prep.classes ? { classes: prep.classes } : {}),
  };
}
