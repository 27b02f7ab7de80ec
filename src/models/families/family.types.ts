import type { PreparedData } from '../data/dataset-splits';
import type { LearningTask, PreprocessingState } from '../data/preprocessing';
import type { Metrics } from '../metrics/metrics.types';
import type { EarlyStopping } from '../training/early-stopping';
import type { TrainingMonitor } from '../training/training-monitor';
import type { Params, ParamValue, SearchSpace } from '../../search/space/space.types';

/** Description and default of one tunable parameter of a built-in model. */
export interface HyperparameterInfo {
  description: string;
  default: ParamValue;
}

/** The sizes a model is built for. */
export interface ModelShape {
  task: LearningTask;
  /** Width of the encoded input. */
  inputSize: number;
  /** Number of classes (classification) or 1 (regression). */
  outputSize: number;
  /** The declared shape of one input (`dataset.shape`, e.g. `[8, 8, 1]`), when the data is image- or sequence-shaped. */
  inputShape?: readonly number[];
}

/** What a trial asks of a family besides its hyperparameters. */
export interface FitRequest {
  /** Epochs and batch size when the parameters do not tune them. */
  epochs: number;
  batchSize: number;
  /** Seeds initial weights, shuffles, dropout masks, bootstrap samples. */
  seed: number;
  /** Stops a neural family once the monitored metric stops improving (restoring the best epoch). */
  earlyStopping?: EarlyStopping;
}

/** A trained model, before it is saved. */
export interface FittedModel {
  /** Validation metrics of the model as it will be saved (the best epoch when early stopping restored it). */
  metrics: Metrics;
  /** Epochs trained (1 for families that fit in one pass). */
  epochs: number;
  /** True when the pruner stopped it. */
  pruned: boolean;
  /** The epoch whose weights were kept, when early stopping restored them. */
  bestEpoch?: number;
  /** Writes the artifact (`model.json`, `weights.bin`, `preprocessing.json`) into `dir`; resolves to the file names. */
  save(dir: string): Promise<string[]>;
  dispose(): void;
}

/** A model loaded from an artifact: encoded rows in, one output row per input (class probabilities or the scaled target) out. */
export interface LoadedPredictor {
  predictEncoded(x: Float32Array, n: number): Float32Array;
  dispose(): void;
}

/**
 * One model family of the model kit: its tunable parameters with their defaults, its fragment of
 * the `model: auto` space, how it trains and, for families whose artifact is not a TensorFlow.js
 * layers model, how its artifact loads. Adding a family is one folder and one line in the registry.
 */
export interface ModelFamily {
  readonly name: string;
  /** One line for the docs. */
  readonly summary: string;
  /** Whether it trains by epochs (early stopping and per-epoch pruning apply). */
  readonly epochwise: boolean;
  /** The parameters a search space may tune, with their defaults. */
  readonly hyperparameters: Readonly<Record<string, HyperparameterInfo>>;
  /** Parameters that take names (optimizer, activation) and the names they accept. */
  readonly choices: Readonly<Record<string, readonly string[]>>;
  /** Its parameters in the space `model: auto` searches (each made active only under this family). */
  readonly autoSpace: SearchSpace;
  /** Why it cannot learn from data of this shape, or undefined when it can. */
  unfit(shape: Pick<ModelShape, 'task' | 'inputShape'>): string | undefined;
  /** Trains on the prepared data; throws on a parameter out of range. */
  fit(params: Params, data: PreparedData, shape: ModelShape, request: FitRequest, ctx: TrainingMonitor): Promise<FittedModel>;
}

/** A family whose artifact is not a TensorFlow.js layers model: `model.json` holds `{format, …}` and it loads from that. */
export interface ArtifactFormat {
  /** The `format` field of its `model.json`. */
  readonly format: string;
  load(modelJson: Record<string, unknown>, preprocessing: PreprocessingState): LoadedPredictor;
}
