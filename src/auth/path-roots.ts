import { realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve, sep } from 'node:path';

/** A path that may be used (its real path), or the sentence that refuses it. */
export type PathCheck = { ok: true; path: string } | { ok: false; problem: string };

/** What a path must be: a file or a folder, under which named roots (for the messages: `HPO_DATA_ROOTS`). */
export interface PathWant {
  type: 'file' | 'folder';
  roots: readonly string[];
  rootsName: string;
}

/** Whether `path` is `root` or lies below it; both absolute and normalised (real paths). */
export function isWithin(root: string, path: string): boolean {
  if (path === root) return true;
  return path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** Whether `path` lies under one of `roots`. */
export function isUnderRoots(roots: readonly string[], path: string): boolean {
  return roots.some((root) => isWithin(root, path));
}

/**
 * The refusal every path outside the roots gets, whether it exists or not, so that the answer
 * tells nothing about files the caller may not see (no existence oracle), and names no path.
 */
export function notAllowed(want: PathWant): string {
  return `is not allowed: over the network a ${want.type} must be an existing ${want.type} under ${want.rootsName} (${want.roots.join(':')})`;
}

/**
 * What is wrong with the text of a path, before it is resolved: a NUL byte, percent-encoding (the
 * text is decoded once; anything decoding changes is refused, so `%2e%2e` and `%252e` never reach
 * the file system as dots), a backslash, or a `..` segment. Undefined when the text is clean.
 */
export function pathTextProblem(value: string): string | undefined {
  if (value.length === 0) return 'must not be empty';
  if (value.includes('\0')) return 'must not contain NUL bytes';
  let decoded = value;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    // a lone % that is not an escape: the text is what it says
  }
  if (decoded !== value) return 'must not contain percent-encoded characters';
  if (value.includes('\\')) return 'must use / between folders (no backslashes)';
  if (value.split('/').includes('..')) return 'must not contain ".." segments';
  return undefined;
}

/** The real path of the deepest existing ancestor of `path` (the root `/` at worst). */
function realAncestor(path: string): string {
  for (let p = dirname(path); ; p = dirname(p)) {
    try {
      return realpathSync(p);
    } catch {
      if (dirname(p) === p) return p;
    }
  }
}

/**
 * Checks a path that arrived over the network: its text (see {@link pathTextProblem}), then, made
 * absolute against `baseDir`, that it lies under one of the roots both as written and once every
 * symlink is resolved, and that it is a `want.type`. A missing path is reported as missing only when
 * its deepest existing folder is itself under a root; outside them every failure reads the same.
 * Nothing is opened: only `realpath` and `stat`.
 */
export function checkNetworkPath(value: string, baseDir: string, want: PathWant): PathCheck {
  const textProblem = pathTextProblem(value);
  if (textProblem) return { ok: false, problem: textProblem };
  const absolute = isAbsolute(value) ? resolve(value) : resolve(baseDir, value);
  if (!isUnderRoots(want.roots, absolute)) return { ok: false, problem: notAllowed(want) };
  let real: string;
  try {
    real = realpathSync(absolute);
  } catch {
    return isUnderRoots(want.roots, realAncestor(absolute))
      ? { ok: false, problem: `${want.type} not found: ${absolute}` }
      : { ok: false, problem: notAllowed(want) };
  }
  if (!isUnderRoots(want.roots, real)) return { ok: false, problem: notAllowed(want) };
  let fits: boolean;
  try {
    const stat = statSync(real);
    fits = want.type === 'file' ? stat.isFile() : stat.isDirectory();
  } catch {
    return { ok: false, problem: notAllowed(want) };
  }
  if (!fits) return { ok: false, problem: `is not a ${want.type}: ${real}` };
  return { ok: true, path: real };
}
