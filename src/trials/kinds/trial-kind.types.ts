import type { ExperimentSpec, TrialConfig } from '../../config/experiment-spec.types';
import type { TrialKindSchema } from '../../config/experiment.schema';
import type { ObjectRule } from '../../config/schema/structure.rules';
import type { Problem } from '../../domain/errors';
import type { ModelDataSpec } from '../../models/data/dataset-splits';
import type { TrialRuntime } from './runtime.types';

/** What a slot rule may ask about this process (tests replace it: no native binding installs here). */
export interface RuntimeProbe {
  /** Whether a native TensorFlow.js binding (tfjs-node or tfjs-node-gpu) would load. */
  nativeTfjsBinding(): boolean;
}

/** A file or folder a trial reads, by the config path that names it. */
export interface InputPath {
  /** Config path of the field (`trial.dataset.path`). */
  path: string;
  /** Absolute path on this machine. */
  file: string;
  type: 'file' | 'folder';
}

/**
 * One kind of trial (`tfjs`, `module`, `command`): everything the service needs to know about it,
 * in one folder. The config contract (its `trial` section and cross-section rules), path
 * resolution, input checks, the slot rule and, on the worker side, the runtime that runs it.
 * Nothing outside `src/trials/kinds/` branches on a kind's name: it asks the kind.
 */
export interface TrialKind<C extends TrialConfig = TrialConfig> extends TrialKindSchema {
  readonly section: ObjectRule<C>;
  /**
   * The section with relative paths made absolute against `baseDir`. It is also run on a raw
   * section that failed validation (to check its files anyway), so fields that are not strings are
   * left as they are.
   */
  resolvePaths(section: C, baseDir: string): C;
  /** The files and folders a trial reads, from a resolved section (possibly a raw one). */
  inputPaths(section: C): InputPath[];
  /** Problems found by reading the inputs (a dataset's columns, a command's placeholders), once the config is valid. */
  inputProblems?(spec: ExperimentSpec, section: C): Problem[];
  /** What a user should be told about a valid config before it runs (columns left out, say): shown as the create call's notices. */
  inputNotices?(section: C): string[];
  /** The most trials of this kind one process runs at once, where the kind limits it. */
  slotCap?(probe: RuntimeProbe): number | undefined;
  /** What the trials learn from, as leaderboards across experiments group it (a dataset's file name). */
  datasetLabel?(section: C): string | null;
  /** For kinds whose trials train a registrable model: the task and the data its models are scored on. */
  modelData?(section: C): ModelDataSpec;
  /** Loads the runtime, in the worker thread that runs the first trial of this kind. */
  loadRuntime(): Promise<TrialRuntime<C>>;
}
