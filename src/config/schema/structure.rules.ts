import { isRecord, join, ProblemCollector } from './problem-collector';
import { DefaultRule, Infer, JsonSchema, OptionalRule, Rule } from './rule';
import { string } from './scalar.rules';

/** Property names no map or object may use: they name the prototype machinery of a JavaScript object. */
export const RESERVED_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/** What a reserved name (`__proto__`, `constructor`, `prototype`) is told, as a key or as a metric. */
export const RESERVED_NAME_MESSAGE = 'is a reserved name (it names part of every JavaScript object)';

/**
 * Reports a problem at a path relative to the value a refinement checks (`'low'`, `['when', 'opt']`,
 * `[]` for the value itself), or with `absolute` at a full path (`search.settings.xi`).
 */
export interface Report {
  (at: string | number | readonly (string | number)[], message: string): void;
  absolute(path: string, message: string): void;
}

/** What a refinement returns to replace the value it checked (with defaults it filled in, say). */
export interface Replacement<T> {
  replaceWith: T;
}

/**
 * A rule across the fields of one object (`low <= high`). `jsonSchema` states it in JSON Schema
 * when that can be done; without it the rule is beyond the schema and `rule` is said in words in
 * the schema's `x-rules`. A check reports problems and may return a {@link Replacement}.
 */
export interface Refinement<T> {
  rule: string;
  jsonSchema?: JsonSchema;
  check(value: T, report: Report): void | Replacement<unknown>;
}

function replaced<T>(result: void | Replacement<unknown>, current: T): T {
  return result && typeof result === 'object' && 'replaceWith' in result ? (result.replaceWith as T) : current;
}

/** The fields of an object rule. */
export type Shape = Record<string, Rule<any>>;

type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends OptionalRule<any> ? K : never }[keyof S];
type RequiredKeys<S extends Shape> = Exclude<keyof S, OptionalKeys<S>>;

/** The value an object rule reads: required and defaulted fields present, optional ones maybe. */
export type ObjectOf<S extends Shape> = { [K in RequiredKeys<S>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> };

/** A {@link Report} for a refinement of the value at `path`. */
export function reporterAt(path: string, c: ProblemCollector, beyondSchema: boolean): Report {
  const add = (where: string, message: string): void => (beyondSchema ? c.addBeyondSchema(where, message) : c.add(where, message));
  const report = (at: string | number | readonly (string | number)[], message: string): void => {
    const parts = typeof at === 'string' || typeof at === 'number' ? [at] : at;
    add(
      parts.reduce<string>((p, k) => join(p, k), path),
      message,
    );
  };
  return Object.assign(report, { absolute: add });
}

/** Reads one field of an object: absent fields are required, skipped or defaulted by their rule. */
function readField(rule: Rule<unknown>, value: unknown, path: string, c: ProblemCollector): unknown {
  if (value !== undefined) return rule.read(value, path, c);
  if (rule instanceof DefaultRule) return rule.fill(path, c);
  if (rule.presence === 'required') c.add(path, rule.missingMessage);
  return undefined;
}

/** Own properties only: a key such as `constructor` must not be read from the prototype. */
const own = (obj: Record<string, unknown>, key: string): unknown => (Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined);

/** An object with known fields; unknown keys are problems. See {@link object}. */
export class ObjectRule<T> extends Rule<T> {
  constructor(
    readonly shape: Shape,
    private readonly refinements: readonly Refinement<T>[] = [],
    private readonly typeMessage = 'must be an object',
    private readonly rootName = '(root)',
  ) {
    super();
  }

  /** The same object with one more rule across its fields. */
  refine(refinement: Refinement<T>): ObjectRule<T> {
    const next = new ObjectRule<T>(this.shape, [...this.refinements, refinement], this.typeMessage, this.rootName);
    return Object.assign(next, { description: this.description, presence: this.presence, missingMessage: this.missingMessage });
  }

  /** The same rule as a field that, when absent, is read as `{}` (so its fields' defaults fill in). */
  orEmpty(): DefaultRule<T> {
    return new DefaultRule(this, {} as T);
  }

  /** The same rule read as the type `U` it stands for (a declared interface such as `FloatParam`). */
  as<U>(): ObjectRule<U> {
    return this as unknown as ObjectRule<U>;
  }

  /**
   * The same object telling a value that is not an object `message`; read at the top (path `''`),
   * that problem is at `rootName` (`(root)` for a config, `body` for a request body).
   */
  notAnObject(message: string, rootName = this.rootName): ObjectRule<T> {
    return Object.assign(new ObjectRule<T>(this.shape, this.refinements, message, rootName), { description: this.description });
  }

  read(value: unknown, path: string, c: ProblemCollector): T | undefined {
    if (!isRecord(value)) return void c.add(path || this.rootName, this.typeMessage);
    const before = c.count;
    const allowed = Object.keys(this.shape);
    for (const key of Object.keys(value)) if (!allowed.includes(key)) c.add(join(path, key), `unknown key (allowed: ${allowed.join(', ')})`);
    const out: Record<string, unknown> = {};
    for (const [key, rule] of Object.entries(this.shape)) {
      const read = readField(rule, own(value, key), join(path, key), c);
      if (read !== undefined) out[key] = read;
    }
    if (c.count > before) return undefined;
    let result = out as T;
    for (const refinement of this.refinements) result = replaced(refinement.check(result, reporterAt(path, c, refinement.jsonSchema === undefined)), result);
    return c.count > before ? undefined : result;
  }

  protected schema(): JsonSchema {
    const properties = Object.fromEntries(Object.entries(this.shape).map(([k, r]) => [k, r.jsonSchema()]));
    const required = Object.entries(this.shape)
      .filter(([, r]) => r.presence === 'required')
      .map(([k]) => k);
    const expressed = this.refinements.flatMap((r) => (r.jsonSchema ? [r.jsonSchema] : []));
    const beyond = this.refinements.filter((r) => !r.jsonSchema).map((r) => r.rule);
    return {
      type: 'object',
      properties,
      ...(required.length > 0 ? { required } : {}),
      additionalProperties: false,
      ...(expressed.length > 0 ? { allOf: expressed } : {}),
      ...(beyond.length > 0 ? { 'x-rules': beyond } : {}),
    };
  }
}

/** An object with exactly these fields (in this order in messages and schemas). */
export function object<S extends Shape>(shape: S): ObjectRule<ObjectOf<S>> {
  return new ObjectRule<ObjectOf<S>>(shape);
}

/** Options of {@link list}. */
export interface ListOptions {
  minItems?: number;
  /** At most this many items (told `must have at most N items`). */
  maxItems?: number;
  /** Items must not repeat. */
  unique?: boolean;
  /** What a value that is not a list (or is too short, unless `tooFewMessage`) is told. */
  message?: string;
  /** What a list shorter than `minItems` is told. */
  tooFewMessage?: string;
}

class ListRule<T> extends Rule<T[]> {
  constructor(
    private readonly items: Rule<T>,
    private readonly options: ListOptions,
  ) {
    super();
  }

  read(value: unknown, path: string, c: ProblemCollector): T[] | undefined {
    const { minItems = 0, unique, message, tooFewMessage } = this.options;
    if (Array.isArray(value) && value.length < minItems && tooFewMessage) return void c.add(path, tooFewMessage);
    if (!Array.isArray(value) || value.length < minItems) return void c.add(path, message ?? (minItems > 0 ? 'must be a non-empty list' : 'must be a list'));
    if (this.options.maxItems !== undefined && value.length > this.options.maxItems)
      return void c.add(path, `must have at most ${this.options.maxItems} items`);
    const before = c.count;
    const out = value.map((item, i) => this.items.read(item, join(path, i), c));
    if (c.count > before) return undefined;
    if (unique && new Set(out).size !== out.length) return void c.add(path, 'must not repeat a value');
    return out as T[];
  }

  protected schema(): JsonSchema {
    const { minItems, maxItems, unique } = this.options;
    return {
      type: 'array',
      items: this.items.jsonSchema(),
      ...(minItems ? { minItems } : {}),
      ...(maxItems !== undefined ? { maxItems } : {}),
      ...(unique ? { uniqueItems: true } : {}),
    };
  }
}

/** A list whose items all follow one rule. */
export function list<T>(items: Rule<T>, options: ListOptions = {}): Rule<T[]> {
  return new ListRule(items, options);
}

/** Options of {@link map}. */
export interface MapOptions {
  /** What every key must match, and what a key that does not is told. */
  keys?: { pattern: RegExp; message: string };
  minEntries?: number;
  /** The most entries the map may have (bounded work per request). */
  maxEntries?: number;
  /** What a map with fewer than `minEntries` entries is told. */
  tooFewMessage?: string;
  /** What a value that is not an object is told. */
  message?: string;
}

/** An object of free keys whose values follow one rule (the parameters of a space, an environment). See {@link map}. */
export class MapRule<T> extends Rule<Record<string, T>> {
  constructor(
    readonly values: Rule<T>,
    private readonly options: MapOptions,
    private readonly refinements: readonly Refinement<Record<string, T>>[] = [],
  ) {
    super();
  }

  /** The same map with a rule across its entries. */
  refine(refinement: Refinement<Record<string, T>>): MapRule<T> {
    return Object.assign(new MapRule<T>(this.values, this.options, [...this.refinements, refinement]), {
      description: this.description,
      presence: this.presence,
    });
  }

  read(value: unknown, path: string, c: ProblemCollector): Record<string, T> | undefined {
    const { keys, minEntries = 0, maxEntries, tooFewMessage, message } = this.options;
    if (!isRecord(value)) return void c.add(path, message ?? 'must be an object');
    const before = c.count;
    const names = Object.keys(value);
    if (names.length < minEntries) return void c.add(path, tooFewMessage ?? `must have at least ${minEntries} entries`);
    if (maxEntries !== undefined && names.length > maxEntries) return void c.add(path, `has ${names.length} entries; at most ${maxEntries}`);
    const out: Record<string, T> = {};
    for (const name of names) {
      if (RESERVED_KEYS.includes(name)) {
        c.add(join(path, name), RESERVED_NAME_MESSAGE);
        continue;
      }
      if (keys && !keys.pattern.test(name)) c.add(join(path, name), keys.message);
      const read = this.values.read(value[name], join(path, name), c);
      if (read !== undefined) out[name] = read;
    }
    if (c.count > before) return undefined;
    let result = out;
    for (const refinement of this.refinements) result = replaced(refinement.check(result, reporterAt(path, c, refinement.jsonSchema === undefined)), result);
    return c.count > before ? undefined : result;
  }

  protected schema(): JsonSchema {
    const { keys, minEntries, maxEntries } = this.options;
    const expressed = this.refinements.flatMap((r) => (r.jsonSchema ? [r.jsonSchema] : []));
    const beyond = this.refinements.filter((r) => !r.jsonSchema).map((r) => r.rule);
    return {
      type: 'object',
      additionalProperties: this.values.jsonSchema(),
      propertyNames: { ...(keys ? { pattern: keys.pattern.source } : {}), not: { enum: [...RESERVED_KEYS] } },
      ...(minEntries ? { minProperties: minEntries } : {}),
      ...(maxEntries !== undefined ? { maxProperties: maxEntries } : {}),
      ...(expressed.length > 0 ? { allOf: expressed } : {}),
      ...(beyond.length > 0 ? { 'x-rules': beyond } : {}),
    };
  }
}

/** An object of free keys whose values all follow one rule. */
export function map<T>(values: Rule<T>, options: MapOptions = {}): MapRule<T> {
  return new MapRule(values, options);
}

/** One of several object variants told apart by a tag field (`kind`, `type`). See {@link tagged}. */
export class TaggedRule<T> extends Rule<T> {
  constructor(
    readonly tag: string,
    readonly variants: Readonly<Record<string, Rule<any>>>,
    private readonly tagRule: Rule<string> = string({ values: Object.keys(variants) }),
  ) {
    super();
  }

  read(value: unknown, path: string, c: ProblemCollector): T | undefined {
    if (!isRecord(value)) return void c.add(path, 'must be an object');
    const raw = own(value, this.tag);
    if (raw === undefined) return void c.add(join(path, this.tag), 'is required');
    const tag = this.tagRule.read(raw, join(path, this.tag), c);
    if (tag === undefined) return undefined;
    return this.variants[tag].read(value, path, c) as T | undefined;
  }

  protected schema(): JsonSchema {
    return { oneOf: Object.values(this.variants).map((v) => v.jsonSchema()) };
  }
}

/** One of `variants`, chosen by the value of the `tag` field that each variant declares as a literal. */
export function tagged<V extends Record<string, Rule<any>>>(tag: string, variants: V, tagRule?: Rule<string>): TaggedRule<Infer<V[keyof V]>> {
  return new TaggedRule(tag, variants, tagRule);
}

class UnionRule<T> extends Rule<T> {
  constructor(
    private readonly options: readonly Rule<T>[],
    private readonly message: string,
  ) {
    super();
  }

  read(value: unknown, path: string, c: ProblemCollector): T | undefined {
    for (const option of this.options) {
      const scratch = new ProblemCollector();
      const read = option.read(value, path, scratch);
      if (scratch.count === 0) return read;
    }
    return void c.add(path, this.message);
  }

  protected schema(): JsonSchema {
    return { anyOf: this.options.map((o) => o.jsonSchema()) };
  }
}

/** The first of `options` that reads the value cleanly; `message` when none does. */
export function union<T>(options: readonly Rule<T>[], message: string): Rule<T> {
  return new UnionRule(options, message);
}

class NullableRule<T> extends Rule<T | null> {
  constructor(private readonly inner: Rule<T>) {
    super();
  }

  read(value: unknown, path: string, c: ProblemCollector): T | null | undefined {
    return value === null ? null : this.inner.read(value, path, c);
  }

  protected schema(): JsonSchema {
    return { anyOf: [this.inner.jsonSchema(), { type: 'null' }] };
  }
}

/** The rule's values, or `null`. */
export function nullable<T>(rule: Rule<T>): Rule<T | null> {
  return new NullableRule(rule);
}
