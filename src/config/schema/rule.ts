import { ProblemCollector } from './problem-collector';

/** A JSON Schema (2020-12, as OpenAPI 3.1 takes it) as a plain object. */
export type JsonSchema = { [keyword: string]: unknown };

/** How an object field may be absent: required, optional, or filled with a default. */
export type Presence = 'required' | 'optional' | 'default';

/**
 * One rule of an input contract, the one source of both its validation and its JSON Schema:
 * `read` checks a value and reports every problem by path, `jsonSchema` describes the same rule
 * for the OpenAPI document and for tools. Rules compose (objects of fields, lists, maps, tagged
 * unions) and are immutable: `describe`, `optional` and `default` return new rules.
 */
export abstract class Rule<T> {
  /** Shown in the JSON Schema. */
  description?: string;
  /** How the field holding this rule may be absent. */
  presence: Presence = 'required';
  /** What a missing required field is told (`is required` unless set). */
  missingMessage = 'is required';

  /**
   * Reads a value that is present (not undefined). Reports each problem to `c` at its path and
   * returns undefined when there was any; otherwise the value, defaults filled in.
   */
  abstract read(value: unknown, path: string, c: ProblemCollector): T | undefined;

  /** The JSON Schema of the accepted values, without the description. */
  protected abstract schema(): JsonSchema;

  /** The JSON Schema of the accepted values. */
  jsonSchema(): JsonSchema {
    const schema = this.schema();
    return this.description ? { ...schema, description: this.description } : schema;
  }

  /** The same rule with a description for the schema. */
  describe(description: string): this {
    return this.with({ description });
  }

  /** The same rule, telling a missing value `message` instead of `is required`. */
  ifMissing(message: string): this {
    return this.with({ missingMessage: message });
  }

  /** The same rule as an optional field: absent stays absent. */
  optional(): OptionalRule<T> {
    return new OptionalRule(this);
  }

  /** The same rule as a field that takes `value` when absent (objects are read through the rule, so their own defaults fill in). */
  default(value: T): DefaultRule<T> {
    return new DefaultRule(this, value);
  }

  /** A shallow copy with some fields changed (rules are shared between schemas, so never mutated). */
  protected with(changes: Partial<Rule<T>>): this {
    return Object.assign(Object.create(Object.getPrototypeOf(this)), this, changes);
  }
}

/** A rule whose field may be absent. */
export class OptionalRule<T> extends Rule<T> {
  override presence: Presence = 'optional';

  constructor(readonly inner: Rule<T>) {
    super();
    this.description = inner.description;
  }

  read(value: unknown, path: string, c: ProblemCollector): T | undefined {
    return this.inner.read(value, path, c);
  }

  protected schema(): JsonSchema {
    return this.inner.jsonSchema();
  }
}

/** A rule whose field takes a default value when absent. */
export class DefaultRule<T> extends Rule<T> {
  override presence: Presence = 'default';

  constructor(
    readonly inner: Rule<T>,
    readonly defaultValue: T,
  ) {
    super();
    this.description = inner.description;
  }

  read(value: unknown, path: string, c: ProblemCollector): T | undefined {
    return this.inner.read(value, path, c);
  }

  /** The value an absent field takes: the default, read through the rule. */
  fill(path: string, c: ProblemCollector): T | undefined {
    return this.inner.read(structuredClone(this.defaultValue), path, c);
  }

  protected schema(): JsonSchema {
    return { ...this.inner.jsonSchema(), default: this.defaultValue };
  }
}

/** The value type a rule reads. */
export type Infer<R> = R extends Rule<infer T> ? T : never;
