import { join } from '../../../config/schema/problem-collector';
import type { Problem } from '../../../domain/errors';
import type { PathResolver, TrialKind } from '../trial-kind.types';
import { CommandTrialConfig, COMMAND_SECTION } from './command.config';
import { placeholderNames } from './command-protocol';

/**
 * `{name}` placeholders that name no parameter of the space: they would reach the program as
 * literal text, so they are a mistake (a typo or a renamed parameter).
 */
function placeholderProblems(section: CommandTrialConfig, parameters: readonly string[]): Problem[] {
  return section.command.flatMap((arg, i) =>
    placeholderNames(arg)
      .filter((name) => !parameters.includes(name))
      .map((name) => ({ path: `trial.command[${i}]`, message: `{${name}} names no parameter of the space (parameters: ${parameters.join(', ')})` })),
  );
}

/**
 * The working directory (the config's folder, or the service's for REST, unless given), and for
 * network submissions the program and environment names checked against the operator's rules.
 */
function resolveCommand(section: CommandTrialConfig, paths: PathResolver): CommandTrialConfig {
  const cwd = paths.path('trial.cwd', typeof section.cwd === 'string' ? section.cwd : '.', { root: 'code', type: 'folder' });
  if (Array.isArray(section.command) && typeof section.command[0] === 'string') paths.program('trial.command[0]', section.command[0], cwd);
  if (typeof section.env === 'object' && section.env !== null) for (const name of Object.keys(section.env)) paths.envName(join('trial.env', name), name);
  return { ...section, cwd };
}

/** Any program, run once per trial in its own process, reporting metrics on stdout. */
export const commandKind: TrialKind<CommandTrialConfig> = {
  name: 'command',
  summary: 'A command; {name} in arguments and HPO_PARAM_<NAME> carry parameters; stdout lines `hpo: {json}` report metrics.',
  section: COMMAND_SECTION,
  producesModel: false,
  runsUserCode: true,
  resolvePaths: resolveCommand,
  inputPaths: (section) => (section.cwd ? [{ path: 'trial.cwd', file: section.cwd, type: 'folder' }] : []),
  inputProblems: (spec, section) => placeholderProblems(section, Object.keys(spec.space)),
  loadRuntime: async () => (await import('./command.runtime')).commandRuntime,
};
