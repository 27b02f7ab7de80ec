import { ProblemCollector } from '../config/schema/problem-collector';
import { Rule } from '../config/schema/rule';
import { BadRequestError } from '../domain/errors';

/** Largest page or leaderboard a request may ask for. */
export const MAX_PAGE_SIZE = 1_000;
/** Page size when none is asked for. */
export const DEFAULT_PAGE_SIZE = 50;

type Query = Record<string, unknown>;

/**
 * Reads a request body by its rule (the one the OpenAPI document shows): every problem by path
 * under `body`, a misspelt field among them. Throws BadRequestError when there is any.
 */
export function readBody<T>(rule: Rule<T>, body: unknown): T {
  const c = new ProblemCollector();
  const read = rule.read(body, 'body', c);
  if (read === undefined || c.count > 0) throw new BadRequestError(c.problems);
  return read;
}

function one(query: Query, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new BadRequestError([{ path: `query.${name}`, message: 'must be given once' }]);
  return value;
}

/**
 * The query of a route, checked against the parameters it reads: a name it does not know
 * (`limit[]`, a misspelling) is a 400 rather than silently ignored. Returns the query.
 */
export function knownQuery(query: Query, allowed: readonly string[]): Query {
  const unknown = Object.keys(query).filter((k) => !allowed.includes(k));
  if (unknown.length > 0)
    throw new BadRequestError(
      unknown.map((k) => ({ path: `query.${JSON.stringify(k)}`, message: `unknown query parameter (allowed: ${allowed.join(', ') || 'none'})` })),
    );
  return query;
}

/** Decimal digits only: `0x10`, `1e3`, ` 5`, `+5` and `5.0` are not integers a client meant. */
const DECIMAL_INTEGER = /^[0-9]+$/;

/** An integer query parameter within bounds, or its default. Only plain decimal digits are read. */
export function intParam(query: Query, name: string, fallback: number, min: number, max: number): number {
  const text = one(query, name);
  if (text === undefined || text === '') return fallback;
  const n = DECIMAL_INTEGER.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw new BadRequestError([{ path: `query.${name}`, message: `must be an integer from ${min} to ${max}, in decimal digits` }]);
  return n;
}

/** A query parameter from a fixed list, or undefined. */
export function enumParam<T extends string>(query: Query, name: string, allowed: readonly T[]): T | undefined {
  const text = one(query, name);
  if (text === undefined || text === '') return undefined;
  if (!allowed.includes(text as T)) throw new BadRequestError([{ path: `query.${name}`, message: `must be one of ${allowed.join(', ')}` }]);
  return text as T;
}

/** A free-text query parameter, or undefined. */
export function textParam(query: Query, name: string): string | undefined {
  const text = one(query, name);
  return text === undefined || text === '' ? undefined : text;
}

/** A boolean query parameter (`true`/`false`/`1`/`0`). */
export function boolParam(query: Query, name: string): boolean {
  const text = one(query, name);
  if (text === undefined || text === '') return false;
  if (['true', '1'].includes(text)) return true;
  if (['false', '0'].includes(text)) return false;
  throw new BadRequestError([{ path: `query.${name}`, message: 'must be true or false' }]);
}

/** A positive integer path parameter (an id, a trial number). */
export function idParam(value: string, name: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new BadRequestError([{ path: `path.${name}`, message: 'must be a positive integer' }]);
  return n;
}
