import { realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { SettingsError } from '../domain/errors';

/**
 * Where paths, modules and programs that arrive over the network may point (DESIGN.md, "closed by
 * default over the network"). Folders are real paths (symlinks resolved once, at boot), so a check
 * compares real path against real path.
 */
export interface PathRoots {
  /** Folders datasets may lie under (`HPO_DATA_ROOTS`). */
  data: readonly string[];
  /** Folders modules, command programs and `trial.cwd` may lie under (`HPO_CODE_ROOTS`). */
  code: readonly string[];
  /**
   * Programs a command trial may start (`HPO_COMMANDS`): bare names (`python3`, looked up on the
   * service's own PATH) and real paths of executables. Empty by default: no command trials over the network.
   */
  commands: readonly string[];
}

/** Separator of the entries of `HPO_DATA_ROOTS`, `HPO_CODE_ROOTS` and `HPO_COMMANDS` (as in PATH). */
export const ROOT_LIST_SEPARATOR = ':';

function entries(text: string | undefined): string[] {
  return (text ?? '')
    .split(ROOT_LIST_SEPARATOR)
    .map((e) => e.trim())
    .filter((e) => e.length > 0);
}

function realFolder(variable: string, entry: string, cwd: string): string {
  const path = resolve(cwd, entry);
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    throw new SettingsError(`${variable}: ${path} does not exist (each entry must be an existing folder)`);
  }
  if (!statSync(real).isDirectory()) throw new SettingsError(`${variable}: ${path} is not a folder`);
  return real;
}

function realProgram(entry: string, cwd: string): string {
  if (!entry.includes('/')) return entry;
  const path = resolve(cwd, entry);
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    throw new SettingsError(`HPO_COMMANDS: ${path} does not exist (give a program name found on PATH, or the path of an executable)`);
  }
  if (!statSync(real).isFile()) throw new SettingsError(`HPO_COMMANDS: ${path} is not a file`);
  return real;
}

/**
 * Reads `HPO_DATA_ROOTS`, `HPO_CODE_ROOTS` (colon-separated folders, relative ones against `cwd`;
 * both default to `cwd`) and `HPO_COMMANDS` (colon-separated program names or paths; empty by
 * default). Every folder and program path must exist: a root that is not there is a SettingsError
 * at boot, not a surprise at the first request.
 */
export function readPathRoots(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): PathRoots {
  const folders = (variable: string): string[] => {
    const given = entries(env[variable]);
    return [...new Set((given.length > 0 ? given : [cwd]).map((e) => realFolder(variable, e, cwd)))];
  };
  return {
    data: folders('HPO_DATA_ROOTS'),
    code: folders('HPO_CODE_ROOTS'),
    commands: [...new Set(entries(env.HPO_COMMANDS).map((e) => realProgram(e, cwd)))],
  };
}
