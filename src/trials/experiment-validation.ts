import { existsSync, statSync } from 'node:fs';
import { missingFiles, resolveConfigPath, resolveTrialPaths } from '../config/config-loader';
import { ConfigProblem, ExperimentSpec } from '../config/experiment-spec.types';
import { readExperimentConfig } from '../config/experiment.validator';
import { findPruner, PRUNERS } from '../search/pruners/registry';
import { findSampler, SAMPLERS } from '../search/samplers/registry';
import { SearchSpace } from '../search/space/space.types';
import { MLP_ACTIVATIONS, MLP_HYPERPARAMETERS, MLP_OPTIMIZERS, TFJS_METRICS } from './runtimes/tfjs/tfjs-trial.types';
import { commandPlaceholderProblems, datasetProblems } from './trial-inputs-check';

/** A config that failed validation: every problem, by path. */
export class ExperimentValidationError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(`invalid experiment config:\n${problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`);
  }
}

function checkTfjsSpace(space: SearchSpace, problems: ConfigProblem[]): void {
  const allowedValues: Record<string, readonly string[]> = { optimizer: MLP_OPTIMIZERS, activation: MLP_ACTIVATIONS };
  for (const [name, spec] of Object.entries(space)) {
    if (!(name in MLP_HYPERPARAMETERS)) {
      problems.push({ path: `space.${name}`, message: `not a parameter of the built-in mlp model (known: ${Object.keys(MLP_HYPERPARAMETERS).join(', ')})` });
      continue;
    }
    const allowed = allowedValues[name];
    if (allowed && spec.type !== 'categorical') problems.push({ path: `space.${name}.type`, message: 'must be categorical' });
    if (allowed && spec.type === 'categorical') {
      spec.values.forEach((v, i) => {
        if (!allowed.includes(String(v))) problems.push({ path: `space.${name}.values[${i}]`, message: `must be one of ${allowed.join(', ')}` });
      });
    }
  }
}

function checkAlgorithms(spec: ExperimentSpec, problems: ConfigProblem[]): ExperimentSpec {
  let out = spec;
  const sampler = findSampler(spec.search.algorithm);
  if (!sampler) problems.push({ path: 'search.algorithm', message: `unknown algorithm (known: ${Object.keys(SAMPLERS).join(', ')})` });
  else {
    const checked = sampler.validateSettings(spec.search.settings, spec.space);
    problems.push(...checked.problems);
    out = { ...out, search: { ...out.search, settings: checked.settings } };
  }
  const pruner = findPruner(spec.pruning.algorithm);
  if (!pruner) problems.push({ path: 'pruning.algorithm', message: `unknown algorithm (known: ${Object.keys(PRUNERS).join(', ')})` });
  else {
    const checked = pruner.validateSettings(spec.pruning.settings);
    problems.push(...checked.problems);
    out = { ...out, pruning: { ...out.pruning, settings: checked.settings } };
  }
  return out;
}

const rawRecord = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/**
 * The checks beyond structure that can still run when the structure has problems (algorithm
 * names, built-in model parameter names, files), so one answer lists every problem; a path the
 * structural check already reported is not reported twice.
 */
function checksOnRawConfig(raw: unknown, baseDir: string, reported: ConfigProblem[]): ConfigProblem[] {
  const root = rawRecord(raw);
  const trial = rawRecord(root.trial);
  const found: ConfigProblem[] = [];
  const algorithm = rawRecord(root.search).algorithm;
  if (typeof algorithm === 'string' && !findSampler(algorithm)) found.push({ path: 'search.algorithm', message: `unknown algorithm (known: ${Object.keys(SAMPLERS).join(', ')})` });
  const pruner = rawRecord(root.pruning).algorithm;
  if (typeof pruner === 'string' && !findPruner(pruner)) found.push({ path: 'pruning.algorithm', message: `unknown algorithm (known: ${Object.keys(PRUNERS).join(', ')})` });
  if (trial.kind === 'tfjs') {
    for (const name of Object.keys(rawRecord(root.space))) {
      if (!(name in MLP_HYPERPARAMETERS)) found.push({ path: `space.${name}`, message: `not a parameter of the built-in mlp model (known: ${Object.keys(MLP_HYPERPARAMETERS).join(', ')})` });
    }
  }
  const file = trial.kind === 'tfjs' ? rawRecord(trial.dataset).path : trial.kind === 'module' ? trial.module : undefined;
  if (typeof file === 'string' && file.length > 0) {
    const where = trial.kind === 'tfjs' ? 'trial.dataset.path' : 'trial.module';
    const path = resolveConfigPath(baseDir, file);
    if (!existsSync(path) || !statSync(path).isFile()) found.push({ path: where, message: `file not found: ${path}` });
  }
  return found.filter((p) => !reported.some((r) => r.path === p.path));
}

/**
 * Validates a parsed config completely before anything runs: structure, algorithm names and
 * settings, the built-in model's parameters and metrics, the files the trial needs (a dataset's
 * columns and target included) and a command's placeholders. Relative
 * paths resolve against `baseDir`. Throws `ExperimentValidationError` listing every problem.
 */
export function validateExperiment(raw: unknown, baseDir: string): ExperimentSpec {
  const read = readExperimentConfig(raw);
  if (!read.spec) throw new ExperimentValidationError([...read.problems, ...checksOnRawConfig(raw, baseDir, read.problems)]);
  const problems: ConfigProblem[] = [];
  let spec: ExperimentSpec = { ...read.spec, trial: resolveTrialPaths(read.spec.trial, baseDir) };
  spec = checkAlgorithms(spec, problems);
  if (spec.trial.kind === 'tfjs') {
    checkTfjsSpace(spec.space, problems);
    const known: readonly string[] = TFJS_METRICS[spec.trial.task];
    if (!known.includes(spec.objective.metric)) problems.push({ path: 'objective.metric', message: `the ${spec.trial.task} model reports ${known.join(', ')}` });
  }
  problems.push(...missingFiles(spec), ...datasetProblems(spec), ...commandPlaceholderProblems(spec));
  if (problems.length > 0) throw new ExperimentValidationError(problems);
  return spec;
}
