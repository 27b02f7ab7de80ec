import fc from 'fast-check';
import type { Server } from 'node:http';
import request from 'supertest';
import { stringify } from 'yaml';

/** What the fuzzer knows of the service it sends to: ids and names that exist, and the roots its answers may name. */
export interface FuzzTarget {
  server: Server;
  /** Folders a path in an answer may lie under (the data and code roots, the stores). */
  roots: readonly string[];
  experimentId: number;
  model: string;
  /** A valid experiment config, mutated into invalid ones. */
  validConfig: Record<string, unknown>;
}

/** One request the fuzzer sends. */
export interface FuzzRequest {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  query: Record<string, string>;
  /** Raw body text and its content type, when there is a body. */
  body?: { type: string; text: string };
}

/** Paths that step outside every root, as a client might spell them (they must never come back in an answer). */
export const HOSTILE_PATHS = [
  '/etc/passwd',
  '/etc/shadow',
  '../../../../etc/passwd',
  '%2e%2e/%2e%2e/etc/passwd',
  '%252e%252e/etc/passwd',
  '..\\..\\windows\\win.ini',
  '/proc/self/environ',
  'data/../../../root/.ssh/id_rsa',
  'ok.csv\u0000../../etc/passwd',
];

const RESERVED = ['__proto__', 'constructor', 'prototype'];

/** Names and strings that find edges: reserved keys, hostile paths, unicode, very long text. */
const edgyString = fc.oneof(
  fc.constantFrom(...RESERVED, ...HOSTILE_PATHS, '', ' 5', '0x10', '1e3', '-1', 'NaN', 'Infinity', 'null', 'true', '💥', '\u202e', 'a'.repeat(5_000)),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 12 }),
);

/** Numbers that find edges: huge, tiny, negative zero, the integer limits. */
const edgyNumber = fc.oneof(
  fc.constantFrom(1e308, -1e308, 5e-324, -0, 2 ** 53, 2 ** 53 + 2, -(2 ** 31), 2 ** 32, 0, 1, -1, 0.5),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

/** Any JSON value, with edgy keys (`__proto__`, `constructor`) among the ordinary ones. */
const edgyJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, edgyNumber, edgyString, fc.boolean(), fc.constant(null), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 5 }),
  object: fc.dictionary(fc.oneof(edgyString, fc.constantFrom(...RESERVED)), tie('value'), { maxKeys: 5 }),
})).value;

/** A value nested `depth` levels deep, in lists or maps. */
const deeplyNested = fc.tuple(fc.integer({ min: 50, max: 3_000 }), fc.boolean()).map(([depth, lists]) => {
  const open = lists ? '['.repeat(depth) : '{"a":'.repeat(depth);
  return `${open}1${(lists ? ']' : '}').repeat(depth)}`;
});

/** Sets `value` at a random path of a copy of `config` (wrong types everywhere, one at a time or several). */
function mutate(config: unknown, steps: { path: number[]; value: unknown }[]): unknown {
  const copy = structuredClone(config);
  for (const { path, value } of steps) {
    let node: unknown = copy;
    for (let i = 0; i < path.length; i++) {
      if (node === null || typeof node !== 'object') break;
      const keys = Object.keys(node);
      if (keys.length === 0) break;
      const key = keys[path[i] % keys.length];
      const child = (node as Record<string, unknown>)[key];
      // defineProperty: a `__proto__` key stays a key (an assignment would set the prototype); a copy, so no value is shared.
      if (i === path.length - 1 || child === null || typeof child !== 'object')
        Object.defineProperty(node, key, { value: structuredClone(value), enumerable: true, writable: true, configurable: true });
      else node = child;
    }
  }
  return copy;
}

/** JSON text with numbers JSON.stringify cannot write (`1e999`, `-1e999`) spliced in, and raw `__proto__` keys. */
function jsonText(value: unknown, raw: boolean): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? 'null';
  } catch {
    text = 'null'; // a value the generators built with a cycle: not a body a client can send
  }
  return raw ? text.replace(/(:)(-?\d+(\.\d+)?)/, '$11e999').replace(/^\{/, '{"__proto__":{"polluted":true},') : text;
}

/** YAML text of a value, sometimes with YAML's own special numbers and an alias. */
function yamlText(value: unknown, special: boolean): string {
  let text: string;
  try {
    text = stringify(value);
  } catch {
    text = 'null';
  }
  return special ? `${text}\nextra: [.nan, .inf, -.inf, 0x1F, 1e999, &a x, *a]\n` : text;
}

/** A body: a mutated config, any JSON value, deep nesting or a large body, in JSON or YAML, sometimes mislabelled. */
function bodyArbitrary(target: FuzzTarget): fc.Arbitrary<{ type: string; text: string }> {
  const valueLike = fc.oneof(
    fc
      .array(fc.record({ path: fc.array(fc.nat(20), { minLength: 1, maxLength: 5 }), value: edgyJson }), { minLength: 1, maxLength: 4 })
      .map((s) => mutate(target.validConfig, s)),
    edgyJson,
    fc.record({ instances: fc.array(fc.oneof(fc.array(fc.oneof(edgyNumber, edgyString), { maxLength: 6 }), edgyJson), { maxLength: 4 }) }),
    fc.record({ experimentId: fc.oneof(edgyNumber, edgyString), alias: edgyString, version: fc.oneof(edgyNumber, edgyString), maxTrials: edgyNumber }),
  );
  const structured = fc
    .tuple(valueLike, fc.constantFrom('application/json', 'application/yaml', 'text/yaml'), fc.boolean())
    .map(([value, type, odd]) => ({ type, text: type === 'application/json' ? jsonText(value, odd) : yamlText(value, odd) }));
  return fc.oneof(
    { weight: 6, arbitrary: structured },
    { weight: 1, arbitrary: fc.tuple(deeplyNested, fc.constantFrom('application/json', 'application/yaml')).map(([text, type]) => ({ type, text })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.integer({ min: 10_000, max: 400_000 }), fc.constantFrom('application/json', 'application/yaml'))
        .map(([n, type]) => ({ type, text: `{"name": "${'x'.repeat(n)}"}` })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.string({ unit: 'binary', maxLength: 200 }), fc.constantFrom('application/json', 'application/yaml', 'text/plain'))
        .map(([text, type]) => ({ type, text })),
    },
  );
}

/** A path segment: an id or name that exists, or anything else, URL-encoded once (sometimes twice). */
function segment(known: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constant(known),
    fc.tuple(edgyString, fc.boolean()).map(([s, twice]) => (twice ? encodeURIComponent(encodeURIComponent(s)) : encodeURIComponent(s))),
    fc.constantFrom('..%2f..%2fetc', '%2e%2e', '0', '-1', '1e3', '0x10', '99999999999999999999'),
  );
}

/** Every route of the REST API, with fuzzed path parameters, queries and bodies. */
export function requestArbitrary(target: FuzzTarget): fc.Arbitrary<FuzzRequest> {
  const id = segment(String(target.experimentId));
  const name = segment(target.model);
  const alias = segment('production');
  const version = segment('1');
  const query = fc.dictionary(
    fc.oneof(fc.constantFrom('limit', 'offset', 'state', 'sort', 'cursor', 'metric', 'pruned', 'alias', 'version', 'limit[]', '__proto__'), edgyString),
    edgyString,
    { maxKeys: 3 },
  );
  const body = fc.option(bodyArbitrary(target), { nil: undefined, freq: 4 });
  const routes: fc.Arbitrary<Omit<FuzzRequest, 'query' | 'body'>>[] = [
    fc.constant({ method: 'get' as const, path: '/api/experiments' }),
    fc.constant({ method: 'post' as const, path: '/api/experiments' }),
    id.map((i) => ({ method: 'get' as const, path: `/api/experiments/${i}` })),
    id.map((i) => ({ method: 'post' as const, path: `/api/experiments/${i}/cancel` })),
    id.map((i) => ({ method: 'post' as const, path: `/api/experiments/${i}/resume` })),
    id.map((i) => ({ method: 'patch' as const, path: `/api/experiments/${i}` })),
    id.map((i) => ({ method: 'get' as const, path: `/api/experiments/${i}/trials` })),
    fc.tuple(id, segment('1')).map(([i, n]) => ({ method: 'get' as const, path: `/api/experiments/${i}/trials/${n}` })),
    id.map((i) => ({ method: 'get' as const, path: `/api/experiments/${i}/leaderboard` })),
    fc.constant({ method: 'get' as const, path: '/api/leaderboard' }),
    fc.constant({ method: 'get' as const, path: '/api/models' }),
    name.map((m) => ({ method: 'get' as const, path: `/api/models/${m}` })),
    fc.tuple(name, version).map(([m, v]) => ({ method: 'get' as const, path: `/api/models/${m}/versions/${v}` })),
    name.map((m) => ({ method: 'post' as const, path: `/api/models/${m}/versions` })),
    fc.tuple(name, alias).map(([m, a]) => ({ method: 'put' as const, path: `/api/models/${m}/aliases/${a}` })),
    fc.tuple(name, alias).map(([m, a]) => ({ method: 'delete' as const, path: `/api/models/${m}/aliases/${a}` })),
    fc.tuple(name, version).map(([m, v]) => ({ method: 'post' as const, path: `/api/models/${m}/versions/${v}/archive` })),
    fc.tuple(name, version).map(([m, v]) => ({ method: 'delete' as const, path: `/api/models/${m}/versions/${v}` })),
    name.map((m) => ({ method: 'post' as const, path: `/api/models/${m}/predict` })),
    edgyString.map((s) => ({ method: 'get' as const, path: `/api/${encodeURIComponent(s)}` })),
  ];
  return fc.tuple(fc.oneof(...routes), query, body).map(([route, q, b]) => ({ ...route, query: q, ...(b ? { body: b } : {}) }));
}

/** Sends a fuzzed request over HTTP (loopback); the status and the text of the answer. */
export async function send(server: Server, r: FuzzRequest): Promise<{ status: number; text: string }> {
  const search = new URLSearchParams(r.query).toString();
  let req = request(server)
    [r.method](`${r.path}${search ? `?${search}` : ''}`)
    .timeout(30_000);
  if (r.body) req = req.set('Content-Type', r.body.type).send(r.body.text);
  const res = await req.ok(() => true);
  return { status: res.status, text: res.text ?? '' };
}

const STACK_LINE = /\bat [^\s()]+ \(?\/[^)]*:\d+:\d+\)?|\n\s+at /;
const ABSOLUTE_PATH = /(?:^|[\s"'`(=:,[])(\/(?:[^\s"'`)\],:/]+\/)*[^\s"'`)\],:/]*)/g;

/** Everything a request said, decoded as the service may decode it: what an answer may echo back without leaking. */
function requestText(r: FuzzRequest): string {
  const decode = (s: string): string => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  const said = [r.path, decode(r.path), ...Object.entries(r.query).flat(), r.body?.text ?? ''].join('\n');
  // JSON escapes as the answer writes them: once in a message, twice in a problem path that quotes a key.
  return `${said}\n${JSON.stringify(said)}\n${JSON.stringify(JSON.stringify(said))}`;
}

/**
 * What is wrong with an answer: a 5xx, a stack trace, or an absolute path that is not under one of
 * `roots` and that the request did not send itself (a field's name or a value echoed back is the
 * client's own text, not a leak; the traversal suite holds path fields to saying nothing of theirs).
 */
export function violations(res: { status: number; text: string }, roots: readonly string[], sent = ''): string[] {
  const out: string[] = [];
  if (res.status >= 500) out.push(`status ${res.status}`);
  if (STACK_LINE.test(res.text)) out.push('a stack trace');
  for (const [, path] of res.text.matchAll(ABSOLUTE_PATH)) {
    // A pattern in a message (`must match /^[A-Za-z0-9_-]+$/`) is a regular expression, not a path.
    if (path.length < 2 || path.startsWith('/^') || path.startsWith('/api/') || path === '/api' || path.startsWith('/docs')) continue;
    if (sent.includes(path) || sent.includes(path.replace(/\\$/, ''))) continue;
    if (!roots.some((root) => path === root || path.startsWith(`${root}/`))) out.push(`a path outside the roots: ${path.slice(0, 80)}`);
  }
  return out;
}

/** Figures of one fuzz run. */
export interface FuzzReport {
  runs: number;
  seed: number;
  byStatus: Record<string, number>;
  /** The first failing request and what was wrong, when there was one (fast-check shrinks it). */
  failure?: string;
  ms: number;
}

/** Runs `numRuns` fuzzed requests with `seed`; every answer must be free of {@link violations}. */
export async function fuzz(target: FuzzTarget, seed: number, numRuns: number): Promise<FuzzReport> {
  const byStatus: Record<string, number> = {};
  const started = Date.now();
  const result = await fc.check(
    fc.asyncProperty(requestArbitrary(target), async (r) => {
      const res = await send(target.server, r);
      byStatus[res.status] = (byStatus[res.status] ?? 0) + 1;
      const wrong = violations(res, target.roots, requestText(r));
      if (wrong.length > 0) throw new Error(`${r.method.toUpperCase()} ${r.path}: ${wrong.join('; ')}\nanswer: ${res.text.slice(0, 500)}`);
    }),
    { seed, numRuns, endOnFailure: true },
  );
  const failure = result.failed
    ? `${String((result.errorInstance as Error | undefined)?.message ?? result.errorInstance)}\ncounterexample: ${fc.stringify(result.counterexample).slice(0, 1_000)}`
    : undefined;
  return { runs: result.numRuns, seed, byStatus, ...(failure ? { failure } : {}), ms: Date.now() - started };
}
