import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigProblem, ExperimentSpec, TrialConfig } from './experiment-spec.types';

/** The raw config could not be parsed as YAML or JSON; `problems` say where. */
export class ConfigSyntaxError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  }
}

/**
 * Parses config text. JSON is a subset of YAML 1.2, so one parser reads both; duplicate keys and
 * syntax errors are reported with their line and column.
 */
export function parseConfigText(text: string): unknown {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigSyntaxError(
      doc.errors.map((e) => ({ path: e.linePos ? `(line ${e.linePos[0].line}, column ${e.linePos[0].col})` : '(document)', message: e.message.split('\n')[0] })),
    );
  }
  return doc.toJS({ maxAliasCount: 100 });
}

/** Reads a config file's text; throws ConfigSyntaxError naming the file when it cannot be read. */
export function readConfigFile(file: string): unknown {
  if (!existsSync(file) || !statSync(file).isFile()) throw new ConfigSyntaxError([{ path: '(file)', message: `${file} does not exist or is not a file` }]);
  return parseConfigText(readFileSync(file, 'utf8'));
}

/** A path from a config made absolute: relative paths are relative to `baseDir`. */
export function resolveConfigPath(baseDir: string, p: string): string {
  return isAbsolute(p) ? p : resolve(baseDir, p);
}

/** Makes the trial's paths absolute against `baseDir` (the config file's folder, or the service's working directory). */
export function resolveTrialPaths(trial: TrialConfig, baseDir: string): TrialConfig {
  if (trial.kind === 'tfjs') return { ...trial, dataset: { ...trial.dataset, path: resolveConfigPath(baseDir, trial.dataset.path) } };
  if (trial.kind === 'module') return { ...trial, module: resolveConfigPath(baseDir, trial.module) };
  return { ...trial, cwd: resolveConfigPath(baseDir, trial.cwd ?? '.') };
}

/** Checks that the files a trial needs exist, reporting by config path. */
export function missingFiles(spec: ExperimentSpec): ConfigProblem[] {
  const t = spec.trial;
  const check = (path: string, file: string): ConfigProblem[] =>
    existsSync(file) && statSync(file).isFile() ? [] : [{ path, message: `file not found: ${file}` }];
  if (t.kind === 'tfjs') return check('trial.dataset.path', t.dataset.path);
  if (t.kind === 'module') return check('trial.module', t.module);
  return t.cwd && !existsSync(t.cwd) ? [{ path: 'trial.cwd', message: `folder not found: ${t.cwd}` }] : [];
}

/** The folder relative paths of a config file are resolved against. */
export function configBaseDir(file: string): string {
  return dirname(resolve(file));
}
