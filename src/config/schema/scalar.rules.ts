import { describeValue, ProblemCollector } from './problem-collector';
import { JsonSchema, Rule } from './rule';

/** Options of {@link string}. */
export interface StringOptions {
  /** The only values allowed. */
  values?: readonly string[];
  /** What a value outside `values` is told (default: `must be one of …`). */
  valuesMessage?: (values: readonly string[]) => string;
  pattern?: RegExp;
  /** Said in brackets after a pattern mismatch, in words (`letters, digits, - and _`). */
  patternHint?: string;
  maxLength?: number;
  /** Values refused (reserved names), with what they are told. */
  notValues?: { values: readonly string[]; message: string };
}

class StringRule extends Rule<string> {
  constructor(private readonly options: StringOptions) {
    super();
  }

  read(value: unknown, path: string, c: ProblemCollector): string | undefined {
    const { values, valuesMessage, pattern, patternHint, maxLength, notValues } = this.options;
    if (typeof value !== 'string') return void c.add(path, `must be a string, got ${describeValue(value)}`);
    if (value.length === 0) return void c.add(path, 'must be a non-empty string');
    if (notValues?.values.includes(value)) return void c.add(path, notValues.message);
    if (values && !values.includes(value)) return void c.add(path, valuesMessage ? valuesMessage(values) : `must be one of ${values.join(', ')}`);
    if (pattern && !pattern.test(value)) return void c.add(path, `must match ${pattern}${patternHint ? ` (${patternHint})` : ''}`);
    if (maxLength !== undefined && value.length > maxLength) return void c.add(path, `must be at most ${maxLength} characters`);
    return value;
  }

  protected schema(): JsonSchema {
    const { values, pattern, maxLength, notValues } = this.options;
    if (values) return { type: 'string', enum: [...values] };
    return {
      type: 'string',
      minLength: 1,
      ...(pattern ? { pattern: pattern.source } : {}),
      ...(maxLength !== undefined ? { maxLength } : {}),
      ...(notValues ? { not: { enum: [...notValues.values] } } : {}),
    };
  }
}

/** A non-empty string, optionally from a list of values or matching a pattern. */
export function string(options: StringOptions = {}): Rule<string> {
  return new StringRule(options);
}

/** Options of {@link number}. */
export interface NumberOptions {
  integer?: boolean;
  min?: number;
  /** `min` itself is not allowed. */
  exclusiveMin?: boolean;
  max?: number;
}

class NumberRule extends Rule<number> {
  constructor(private readonly options: NumberOptions) {
    super();
  }

  read(value: unknown, path: string, c: ProblemCollector): number | undefined {
    const { integer, min, exclusiveMin, max } = this.options;
    if (typeof value !== 'number' || !Number.isFinite(value)) return void c.add(path, `must be a finite number, got ${describeValue(value)}`);
    if (integer && !Number.isInteger(value)) return void c.add(path, 'must be an integer');
    if (min !== undefined && (exclusiveMin ? value <= min : value < min)) return void c.add(path, `must be ${exclusiveMin ? '>' : '>='} ${min}`);
    if (max !== undefined && value > max) return void c.add(path, `must be <= ${max}`);
    return value;
  }

  protected schema(): JsonSchema {
    const { integer, min, exclusiveMin, max } = this.options;
    const bound = min === undefined ? {} : exclusiveMin ? { exclusiveMinimum: min } : { minimum: min };
    return { type: integer ? 'integer' : 'number', ...bound, ...(max !== undefined ? { maximum: max } : {}) };
  }
}

/** A finite number, optionally an integer within bounds. */
export function number(options: NumberOptions = {}): Rule<number> {
  return new NumberRule(options);
}

/** An integer within bounds. */
export function integer(options: Omit<NumberOptions, 'integer'> = {}): Rule<number> {
  return new NumberRule({ ...options, integer: true });
}

class BooleanRule extends Rule<boolean> {
  read(value: unknown, path: string, c: ProblemCollector): boolean | undefined {
    if (typeof value !== 'boolean') return void c.add(path, `must be true or false, got ${describeValue(value)}`);
    return value;
  }

  protected schema(): JsonSchema {
    return { type: 'boolean' };
  }
}

/** `true` or `false`. */
export function boolean(): Rule<boolean> {
  return new BooleanRule();
}

/** A value a parameter or a condition can hold. */
export type Scalar = string | number | boolean;

/** Whether a value is a string, a finite number or a boolean. */
export function isScalar(value: unknown): value is Scalar {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

class ScalarRule extends Rule<Scalar> {
  constructor(private readonly message: string) {
    super();
  }

  read(value: unknown, path: string, c: ProblemCollector): Scalar | undefined {
    if (!isScalar(value)) return void c.add(path, this.message);
    return value;
  }

  protected schema(): JsonSchema {
    return { type: ['string', 'number', 'boolean'] };
  }
}

/** A string, a finite number or a boolean. */
export function scalar(message = 'must be a string, number or boolean'): Rule<Scalar> {
  return new ScalarRule(message);
}

class TextRule extends Rule<string> {
  constructor(private readonly numbers: boolean) {
    super();
  }

  read(value: unknown, path: string, c: ProblemCollector): string | undefined {
    if (typeof value === 'string') return value;
    if (this.numbers && typeof value === 'number' && Number.isFinite(value)) return String(value);
    return void c.add(path, `must be a string, got ${describeValue(value)}`);
  }

  protected schema(): JsonSchema {
    return { type: this.numbers ? ['string', 'number'] : 'string' };
  }
}

/** A string (possibly empty); unless `numbers: false`, a number is taken as its text, as YAML users write `--depth, 3`. */
export function text(options: { numbers?: boolean } = {}): Rule<string> {
  return new TextRule(options.numbers ?? true);
}

class LiteralRule<T extends Scalar> extends Rule<T> {
  constructor(private readonly value: T) {
    super();
  }

  read(value: unknown, path: string, c: ProblemCollector): T | undefined {
    if (value !== this.value) return void c.add(path, `must be ${JSON.stringify(this.value)}`);
    return this.value;
  }

  protected schema(): JsonSchema {
    return { const: this.value };
  }
}

/** Exactly `value` (the tag of a variant). */
export function literal<T extends Scalar>(value: T): Rule<T> {
  return new LiteralRule(value);
}

class AnyRule extends Rule<unknown> {
  read(value: unknown): unknown {
    return value;
  }

  protected schema(): JsonSchema {
    return {};
  }
}

/** Any value: checked elsewhere (by a refinement that knows more). */
export function anything(): Rule<unknown> {
  return new AnyRule();
}

/** One of a fixed list of strings, typed as that union. */
export function oneOf<V extends string>(values: readonly V[], message?: (values: readonly string[]) => string): Rule<V> {
  return new StringRule({ values, valuesMessage: message }) as Rule<string> as Rule<V>;
}

class ReferenceRule extends Rule<unknown> {
  constructor(private readonly target: string) {
    super();
  }

  read(value: unknown): unknown {
    return value;
  }

  protected schema(): JsonSchema {
    return { $ref: this.target };
  }
}

/** A value described by another schema of the same document (`#/components/schemas/ExperimentConfig`); for documents, it reads anything. */
export function reference(target: string): Rule<unknown> {
  return new ReferenceRule(target);
}
