import { Problem } from '../../domain/errors';

/** Plain objects only: not arrays, not null. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Longest string quoted whole in a message; longer ones are cut. */
const MAX_QUOTED = 40;

/**
 * A value as a message names it (`got "2"`, `got null`, `got an array`). Arrays and objects are
 * named by kind and never serialised: a request can nest them thousands of levels deep.
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'object':
      return 'an object';
    case 'string':
      return value.length > MAX_QUOTED ? `${JSON.stringify(value.slice(0, MAX_QUOTED))}... (${value.length} characters)` : JSON.stringify(value);
    case 'number':
    case 'boolean':
      return String(value);
    default:
      return typeof value;
  }
}

/** Joins a config path and a key, quoting keys that are not plain identifiers. */
export function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  const part = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : JSON.stringify(key);
  return path ? `${path}.${part}` : part;
}

/**
 * Collects the problems found while reading some input, each by path. A problem may be marked as
 * coming from a rule that JSON Schema cannot express (two fields compared, a name that must exist
 * elsewhere, a file read): the schema-agreement test uses the mark, users never see it.
 */
export class ProblemCollector {
  readonly problems: Problem[] = [];
  private readonly beyond = new Set<Problem>();

  /** Adds a problem at `path`. */
  add(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  /** Adds a problem found by a rule the JSON Schema does not express. */
  addBeyondSchema(path: string, message: string): void {
    const problem = { path, message };
    this.problems.push(problem);
    this.beyond.add(problem);
  }

  /** Whether a collected problem came from a rule the JSON Schema does not express. */
  isBeyondSchema(problem: Problem): boolean {
    return this.beyond.has(problem);
  }

  /** How many problems have been collected so far (to tell whether a part read cleanly). */
  get count(): number {
    return this.problems.length;
  }
}
