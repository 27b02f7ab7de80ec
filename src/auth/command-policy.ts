import { realpathSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathTextProblem } from './path-roots';

/**
 * Environment variables a submission over the network may not set for its command: they choose
 * which program or library runs (PATH, the loaders' and interpreters' search paths and start-up
 * hooks), or would pass as the service's own (`HPO_*`).
 */
export const FORBIDDEN_ENV_NAMES: readonly string[] = [
  'PATH',
  'NODE_OPTIONS',
  'NODE_PATH',
  'NODE_EXTRA_CA_CERTS',
  'NODE_TLS_REJECT_UNAUTHORIZED',
  'PYTHONPATH',
  'PYTHONHOME',
  'PYTHONSTARTUP',
  'PYTHONUSERBASE',
  'PERL5LIB',
  'PERL5OPT',
  'PERLLIB',
  'RUBYLIB',
  'RUBYOPT',
  'BASH_ENV',
  'ENV',
  'SHELLOPTS',
  'BASHOPTS',
  'IFS',
  'PS4',
  'CDPATH',
  'GCONV_PATH',
  'HOSTALIASES',
  'JAVA_TOOL_OPTIONS',
  '_JAVA_OPTIONS',
  'JDK_JAVA_OPTIONS',
  'CLASSPATH',
  'GIT_EXEC_PATH',
  'HOME',
  'TMPDIR',
];

/** Prefixes of forbidden environment variable names: the dynamic loaders', bash's exported functions, the service's own. */
export const FORBIDDEN_ENV_PREFIXES: readonly string[] = ['LD_', 'DYLD_', 'BASH_FUNC_', 'HPO_', 'NPM_CONFIG_', 'LUA_'];

/** A portable environment variable name. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Why a submission over the network may not set the environment variable `name`; undefined when it may. */
export function envNameProblem(name: string): string | undefined {
  if (!ENV_NAME.test(name)) return 'must be letters, digits and _, not starting with a digit';
  const upper = name.toUpperCase();
  if (FORBIDDEN_ENV_NAMES.includes(upper) || FORBIDDEN_ENV_PREFIXES.some((p) => upper.startsWith(p)))
    return `may not be set over the network: it chooses what code runs (refused: ${FORBIDDEN_ENV_NAMES.join(', ')}, and names starting ${FORBIDDEN_ENV_PREFIXES.join(', ')})`;
  return undefined;
}

/**
 * Why a command trial that arrived over the network may not start `program` (its first word), run
 * in `cwd`; undefined when it may. Only programs the operator named in `allowed` (`HPO_COMMANDS`)
 * start: a bare name must be one of the names listed (no shell unless one is named), a path must
 * resolve (symlinks included) to one of the programs listed by path. Nothing is run or opened.
 */
export function programProblem(program: string, cwd: string, allowed: readonly string[]): string | undefined {
  if (allowed.length === 0) return 'command trials are off over the network: the operator names the programs they may start in HPO_COMMANDS (none named)';
  const textProblem = pathTextProblem(program);
  if (textProblem) return textProblem;
  const refusal = `is not a program this service may start (HPO_COMMANDS: ${allowed.join(', ')})`;
  if (!program.includes('/')) return allowed.includes(program) ? undefined : refusal;
  let real: string;
  try {
    real = realpathSync(isAbsolute(program) ? program : resolve(cwd, program));
  } catch {
    return refusal;
  }
  return allowed.includes(real) ? undefined : refusal;
}
