import type { RegistryConfig } from '../../config/experiment-spec.types';
import type { ModelDataSpec } from '../../models/data/dataset-splits';
import type { Direction } from '../../search/history.types';

/** An experiment as promotion sees it. */
export interface SourceExperiment {
  id: number;
  state: string;
  objective: { metric: string; direction: Direction };
  /** The config's `registry:` section, if it has one. */
  registry?: RegistryConfig;
  /** The kind of trials it runs, for messages. */
  trialKind: string;
  /** What its models learn from; absent when its trials do not train a registrable model. */
  modelData?: ModelDataSpec;
}

/** A trial as promotion sees it. */
export interface SourceTrial {
  id: number;
  experimentId: number;
  number: number;
  state: string;
  value: number | null;
  params: Record<string, unknown>;
  metrics: Record<string, number> | null;
  backend: string | null;
  artifactDir: string | null;
}

/** Where promotion reads the experiments and trials it registers models from. */
export interface PromotionSource {
  experiment(id: number): Promise<SourceExperiment | undefined>;
  /** The best COMPLETE trial by the objective (ties to the lower number). */
  bestTrial(experimentId: number): Promise<SourceTrial | undefined>;
  /** The `k` best COMPLETE trials by the objective, best first. */
  topTrials(experimentId: number, k: number): Promise<SourceTrial[]>;
  trialByNumber(experimentId: number, number: number): Promise<SourceTrial | undefined>;
}

/** What became of the automatic promotion of an experiment with a `registry:` section, as stored with the experiment. */
export type PromotionOutcome =
  | {
      model: string;
      version: number;
      alreadyRegistered?: boolean;
      alias?: { name: string; moved: boolean; version: number | null; previousVersion: number | null; reason: string };
      /** The pruned and distilled variants stored beside it, each its own version. */
      variants?: { version: number; kind: string; alias?: { name: string; moved: boolean } }[];
    }
  | { model: string; error: string };

/**
 * The model an experiment ended with, scored once on its dataset's test rows: the trial, the
 * version it was registered as (with a `registry:` section), and the test metrics.
 */
export interface TestScore {
  trialNumber: number;
  model?: string;
  version?: number;
  /** `test_accuracy`, `test_loss`, ... (`test_rmse`, ... for regression). */
  metrics: Record<string, number>;
  /** The trial's validation value of the objective, beside which the test score is shown. */
  validation: { metric: string; value: number };
  /** Why it could not be scored (the metrics are then empty). */
  error?: string;
  /** With `dataset.test.topK` above 1: the test metrics of the k best trials, best first (this one among them). */
  ranked?: { trialNumber: number; metrics: Record<string, number> }[];
}

/** Where promotion outcomes and test scores are kept: with their experiment, in the database. */
export interface PromotionLog {
  record(experimentId: number, outcome: PromotionOutcome): Promise<void>;
  outcomeOf(experimentId: number): Promise<PromotionOutcome | undefined>;
  recordTestScore(experimentId: number, score: TestScore): Promise<void>;
  testScoreOf(experimentId: number): Promise<TestScore | undefined>;
}
