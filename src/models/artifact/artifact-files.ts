/** The topology and weights manifest, in TensorFlow.js layers format (or a non-neural family's own JSON with its `format`). */
export const MODEL_JSON_FILE = 'model.json';
/** All weights, concatenated in manifest order (empty for a family without tensors). */
export const WEIGHTS_FILE = 'weights.bin';
/** The fitted preprocessing (see `PreprocessingState`). */
export const PREPROCESSING_FILE = 'preprocessing.json';
