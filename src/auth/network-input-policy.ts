import type { PathRoots } from '../config/path-root-settings';
import { envNameProblem, programProblem } from './command-policy';
import { checkNetworkPath, PathCheck } from './path-roots';

/**
 * The rules for what a submission that arrived over the network may name, as the trials' path
 * resolution asks them (the composition root hands this to the experiments service): datasets under
 * the data roots; modules, `trial.cwd` and command programs under the code roots and the
 * `HPO_COMMANDS` list; no environment variable that chooses what code runs.
 */
export interface NetworkInputPolicy {
  path(value: string, baseDir: string, want: { root: 'data' | 'code'; type: 'file' | 'folder' }): PathCheck;
  program(program: string, cwd: string): string | undefined;
  envName(name: string): string | undefined;
}

/** The policy of {@link NetworkInputPolicy} over the operator's roots. */
export function networkInputPolicy(roots: PathRoots): NetworkInputPolicy {
  return {
    path: (value, baseDir, want) =>
      checkNetworkPath(value, baseDir, {
        type: want.type,
        roots: want.root === 'data' ? roots.data : roots.code,
        rootsName: want.root === 'data' ? 'HPO_DATA_ROOTS' : 'HPO_CODE_ROOTS',
      }),
    program: (program, cwd) => programProblem(program, cwd, roots.commands),
    envName: envNameProblem,
  };
}
