import { ConfigProblem } from './experiment-spec.types';

/** Plain objects only: not arrays, not null. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Collects problems while reading a config, with typed readers that report by path. */
export class ProblemCollector {
  readonly problems: ConfigProblem[] = [];

  add(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  /** Reports keys of `obj` that are not in `allowed`. */
  unknownKeys(path: string, obj: Record<string, unknown>, allowed: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) this.add(join(path, key), `unknown key (allowed: ${allowed.join(', ')})`);
    }
  }

  record(path: string, value: unknown, required: boolean): Record<string, unknown> | undefined {
    if (value === undefined) {
      if (required) this.add(path, 'is required');
      return undefined;
    }
    if (!isRecord(value)) {
      this.add(path, 'must be an object');
      return undefined;
    }
    return value;
  }

  string(path: string, value: unknown, opts: { required?: boolean; pattern?: RegExp; values?: readonly string[]; fallback?: string } = {}): string | undefined {
    if (value === undefined) {
      if (opts.required) this.add(path, 'is required');
      return opts.fallback;
    }
    if (typeof value !== 'string' || value.length === 0) {
      this.add(path, 'must be a non-empty string');
      return undefined;
    }
    if (opts.values && !opts.values.includes(value)) {
      this.add(path, `must be one of ${opts.values.join(', ')}`);
      return undefined;
    }
    if (opts.pattern && !opts.pattern.test(value)) {
      this.add(path, `must match ${opts.pattern} (letters, digits, - and _)`);
      return undefined;
    }
    return value;
  }

  number(path: string, value: unknown, opts: { required?: boolean; integer?: boolean; min?: number; max?: number; exclusiveMin?: boolean; fallback?: number } = {}): number | undefined {
    if (value === undefined) {
      if (opts.required) this.add(path, 'is required');
      return opts.fallback;
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.add(path, 'must be a finite number');
      return undefined;
    }
    if (opts.integer && !Number.isInteger(value)) {
      this.add(path, 'must be an integer');
      return undefined;
    }
    if (opts.min !== undefined && (opts.exclusiveMin ? value <= opts.min : value < opts.min)) {
      this.add(path, `must be ${opts.exclusiveMin ? '>' : '>='} ${opts.min}`);
      return undefined;
    }
    if (opts.max !== undefined && value > opts.max) {
      this.add(path, `must be <= ${opts.max}`);
      return undefined;
    }
    return value;
  }

  boolean(path: string, value: unknown, fallback: boolean): boolean {
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') {
      this.add(path, 'must be true or false');
      return fallback;
    }
    return value;
  }
}

/** Joins a config path and a key, quoting keys that are not plain identifiers. */
export function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  const part = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : JSON.stringify(key);
  return path ? `${path}.${part}` : part;
}
