import { resolveConfigPath } from '../../config/config-loader';
import type { Problem } from '../../domain/errors';
import type { PathResolver, RootKind, SubmissionOrigin } from './trial-kind.types';

/**
 * The rules a network submission's paths, programs and environment names are held to. The
 * composition root hands the service an implementation over the operator's roots (`src/auth`);
 * declared here so that the trials need not know who implements them.
 */
export interface NetworkInputRules {
  /** The real path the trial may use, or why not. */
  path(value: string, baseDir: string, want: { root: RootKind; type: 'file' | 'folder' }): { ok: true; path: string } | { ok: false; problem: string };
  /** Why `program` may not be started in `cwd`; undefined when it may. */
  program(program: string, cwd: string): string | undefined;
  /** Why the environment variable `name` may not be set; undefined when it may. */
  envName(name: string): string | undefined;
}

/**
 * Where a config came from and what its relative paths are relative to. A bare string is a config
 * file's folder: a local file run by its owner. A REST body is `{origin: 'network', baseDir}`.
 */
export type ConfigSource = string | { origin: SubmissionOrigin; baseDir: string };

/** The origin and base folder of a {@link ConfigSource}. */
export function sourceOf(source: ConfigSource): { origin: SubmissionOrigin; baseDir: string } {
  return typeof source === 'string' ? { origin: 'local-file', baseDir: source } : source;
}

/** Whatever a network submission names is refused when the service was given no rules: closed by default. */
const NO_RULES: NetworkInputRules = {
  path: () => ({ ok: false, problem: 'is not allowed: this service accepts no paths over the network' }),
  program: () => 'is not allowed: this service starts no programs for submissions over the network',
  envName: () => 'is not allowed: this service starts no programs for submissions over the network',
};

/**
 * The resolver a kind's `resolvePaths` uses for a submission, and the problems it recorded. A local
 * file keeps today's freedom: relative paths against its folder, any program, any environment. A
 * network submission is held to `rules`; a refused path resolves to its lexical form, which is never
 * opened since its problem stops validation.
 */
export function pathResolverFor(source: ConfigSource, rules: NetworkInputRules | undefined): { resolver: PathResolver; problems: Problem[] } {
  const { origin, baseDir } = sourceOf(source);
  const problems: Problem[] = [];
  if (origin === 'local-file') {
    return {
      problems,
      resolver: { origin, path: (_field, value) => resolveConfigPath(baseDir, value), program: () => undefined, envName: () => undefined },
    };
  }
  const r = rules ?? NO_RULES;
  const record = (path: string, message: string | undefined): void => void (message !== undefined && problems.push({ path, message }));
  return {
    problems,
    resolver: {
      origin,
      path(field, value, want) {
        const check = r.path(value, baseDir, want);
        if (check.ok) return check.path;
        record(field, check.problem);
        return resolveConfigPath(baseDir, value);
      },
      program: (field, program, cwd) => record(field, r.program(program, cwd)),
      envName: (field, name) => record(field, r.envName(name)),
    },
  };
}
