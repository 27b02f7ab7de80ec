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

/**
 * Where a config came from. `local-file`: a config file its owner runs from the CLI (`hpo run
 * FILE`), with the freedom of that user's shell. `network`: a REST body, whose paths, modules and
 * programs must lie under the operator's roots (DESIGN.md, "closed by default over the network").
 */
export type SubmissionOrigin = 'network' | 'local-file';

/** Which of the operator's roots a path must lie under: datasets under the data roots, code under the code roots. */
export type RootKind = 'data' | 'code';

/**
 * How a kind turns the paths and programs of its section into what a trial will use, and where a
 * refusal is recorded (as a problem at the field). Built once per validation from the submission's
 * origin; a kind never asks the origin itself.
 */
export interface PathResolver {
  readonly origin: SubmissionOrigin;
  /** The absolute path the trial will use for `value` (a real path under the roots for network submissions). */
  path(field: string, value: string, want: { root: RootKind; type: 'file' | 'folder' }): string;
  /** Records a problem when `program` (a command's first word, run in `cwd`) may not be started. */
  program(field: string, program: string, cwd: string): void;
  /** Records a problem when an environment variable `name` may not be set by the submission. */
  envName(field: string, name: string): void;
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
  /** Whether its trials run code the config names (a module, a command): over the network only admin keys may submit them. */
  readonly runsUserCode: boolean;
  /**
   * The section with its paths resolved by `paths` (absolute; for network submissions checked
   * against the roots, along with programs and environment names). It is also run on a raw section
   * that failed validation (to check its files anyway), so fields that are not strings are left as
   * they are.
   */
  resolvePaths(section: C, paths: PathResolver): C;
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
