import { existsSync, statSync } from 'node:fs';
import { ExperimentSpec, TrialConfig } from '../config/experiment-spec.types';
import { ExperimentSchema, experimentSchema, readExperiment } from '../config/experiment.schema';
import { isRecord, ProblemCollector } from '../config/schema/problem-collector';
import { JsonSchema } from '../config/schema/rule';
import { ExperimentValidationError, Problem } from '../domain/errors';
import { PRUNERS } from '../search/pruners/registry';
import { SAMPLERS } from '../search/samplers/registry';
import { findTrialKind, TRIAL_KINDS } from './kinds/registry';
import { ConfigSource, NetworkInputRules, pathResolverFor, sourceOf } from './kinds/path-resolvers';
import { InputPath, TrialKind } from './kinds/trial-kind.types';

/** The experiment contract of this service: the common sections with every registered sampler, pruner and trial kind. */
export const EXPERIMENT_SCHEMA: ExperimentSchema = experimentSchema({ samplers: SAMPLERS, pruners: PRUNERS, trialKinds: Object.values(TRIAL_KINDS) });

/** The JSON Schema of an experiment config, for the OpenAPI document and for tools. */
export function experimentJsonSchema(): JsonSchema {
  return EXPERIMENT_SCHEMA.jsonSchema();
}

/** Reads a parsed config's structure and rules (no files are opened): the spec when it is valid, and every problem by path. */
export function readExperimentConfig(raw: unknown): { spec?: ExperimentSpec; problems: Problem[] } {
  const { spec, collector } = readExperiment(EXPERIMENT_SCHEMA, raw);
  return { spec, problems: collector.problems };
}

function missing(input: InputPath): Problem[] {
  const ok = existsSync(input.file) && (input.type === 'file' ? statSync(input.file).isFile() : statSync(input.file).isDirectory());
  return ok ? [] : [{ path: input.path, message: `${input.type === 'file' ? 'file' : 'folder'} not found: ${input.file}` }];
}

/**
 * Every problem of a parsed config, collected (the schema-agreement test reads which ones the JSON
 * Schema cannot express). Relative paths resolve against the source's folder; a network source's
 * paths, programs and environment are held to `rules` (the operator's roots). The files a trial
 * needs are checked even when the config has other problems; reading them (a dataset's columns,
 * say) waits until it has none, so a refused path is never opened.
 */
export function collectExperimentProblems(
  raw: unknown,
  source: ConfigSource,
  rules?: NetworkInputRules,
): { spec?: ExperimentSpec; collector: ProblemCollector } {
  const { spec, collector } = readExperiment(EXPERIMENT_SCHEMA, raw);
  const rawTrial = isRecord(raw) && isRecord(raw.trial) ? raw.trial : undefined;
  const kind: TrialKind | undefined = spec ? findTrialKind(spec.trial.kind) : typeof rawTrial?.kind === 'string' ? findTrialKind(rawTrial.kind) : undefined;
  if (!kind) return { spec, collector };
  const reported = new Set(collector.problems.map((p) => p.path));
  const { resolver, problems: refused } = pathResolverFor(source, rules);
  const section = kind.resolvePaths((spec?.trial ?? rawTrial) as TrialConfig, resolver);
  for (const p of refused) if (!reported.has(p.path)) collector.addBeyondSchema(p.path, p.message);
  // Over the network the resolver has checked existence already, with answers that tell nothing outside the roots.
  const unchecked = sourceOf(source).origin === 'local-file' ? kind.inputPaths(section) : [];
  for (const p of unchecked.flatMap(missing)) if (!reported.has(p.path)) collector.addBeyondSchema(p.path, p.message);
  if (!spec || collector.count > 0) return { spec: undefined, collector };
  const resolved: ExperimentSpec = { ...spec, trial: section };
  for (const p of kind.inputProblems?.(resolved, section) ?? []) collector.addBeyondSchema(p.path, p.message);
  return { spec: collector.count === 0 ? resolved : undefined, collector };
}

/**
 * Validates a parsed config completely before anything runs: structure and defaults, algorithm
 * settings, the trial kind's rules (a built-in model's parameters and metrics), the files the trial
 * needs and what reading them tells (a dataset's columns and target, a command's placeholders).
 * Relative paths resolve against the source's folder (a bare string: a local config file's folder);
 * a network source is held to `rules`. Throws `ExperimentValidationError` listing every problem.
 */
export function validateExperiment(raw: unknown, source: ConfigSource, rules?: NetworkInputRules): ExperimentSpec {
  const { spec, collector } = collectExperimentProblems(raw, source, rules);
  if (!spec) throw new ExperimentValidationError(collector.problems);
  return spec;
}
