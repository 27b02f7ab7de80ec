import { ConfigSyntaxError } from '../domain/errors';
import { CONFIG_LIMITS } from './defaults';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { CST, parseDocument, Parser } from 'yaml';

/**
 * Deepest nesting of lists and maps a config may have. Real configs use about five levels; the
 * YAML composer and the validators recurse once per level, so an unbounded depth is a stack
 * overflow waiting for a hostile body.
 */
export const MAX_CONFIG_DEPTH = 64;

const tooDeep = `nests lists and maps more than ${MAX_CONFIG_DEPTH} levels deep`;

/** What a config larger than `CONFIG_LIMITS.configBytes` is told. */
export const CONFIG_TOO_LARGE = `is larger than ${CONFIG_LIMITS.configBytes} bytes, the most a config may be`;
const tooLarge = CONFIG_TOO_LARGE;

/** Alias expansions a YAML config may make (the `yaml` package's `maxAliasCount`): bounds "billion laughs" documents. */
export const MAX_CONFIG_ALIASES = 100;

/**
 * Whether `value` nests arrays and objects deeper than `max` levels (a scalar is level 0, `{a: 1}`
 * level 1). Iterative, with its own stack, so that it cannot overflow on the very input it rejects;
 * a cyclic value counts as too deep.
 */
export function nestingExceeds(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

/** Throws ConfigSyntaxError naming `source` when a parsed config (a JSON body, say) nests deeper than {@link MAX_CONFIG_DEPTH}. */
export function checkConfigDepth(value: unknown, source: string): void {
  if (nestingExceeds(value, MAX_CONFIG_DEPTH)) throw new ConfigSyntaxError([{ path: source, message: tooDeep }]);
}

/** Offset of the first YAML collection nested deeper than `max` in `text`, read from the CST (iteratively), or -1. */
function tooDeepAt(text: string, max: number): number {
  const stack: [CST.Token | null | undefined, number][] = [...new Parser().parse(text)].map((t) => [t, 0]);
  while (stack.length > 0) {
    const [token, depth] = stack.pop()!;
    if (token?.type === 'document') stack.push([token.value, depth]);
    else if (CST.isCollection(token)) {
      if (depth >= max) return token.offset;
      for (const item of token.items) stack.push([item.key, depth + 1], [item.value, depth + 1]);
    }
  }
  return -1;
}

function at(source: string, text: string, offset: number): string {
  const line = text.slice(0, offset).split('\n').length;
  return `${source} (line ${line}, column ${offset - text.lastIndexOf('\n', offset - 1)})`;
}

function parseBounded(text: string, source: string): unknown {
  // The composer recurses per level: measure the depth on the parser's flat tokens before composing.
  const deep = tooDeepAt(text, MAX_CONFIG_DEPTH);
  if (deep >= 0) throw new ConfigSyntaxError([{ path: at(source, text, deep), message: tooDeep }]);
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigSyntaxError(
      doc.errors.map((e) => ({
        path: e.linePos ? `${source} (line ${e.linePos[0].line}, column ${e.linePos[0].col})` : source,
        message: e.message.split('\n')[0],
      })),
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_CONFIG_ALIASES });
  } catch (error) {
    if (!(error instanceof ReferenceError && /alias count/i.test(error.message))) throw error;
    throw new ConfigSyntaxError([
      { path: source, message: 'expands YAML aliases (*name) too many times (a config needs few; the limit guards against "billion laughs" documents)' },
    ]);
  }
  checkConfigDepth(value, source); // aliases can nest a shallow text deeply
  return value;
}

/**
 * Parses config text. JSON is a subset of YAML 1.2, so one parser reads both; duplicate keys and
 * syntax errors are reported with their line and column, prefixed by `source` (`body`, a file
 * name). Every failure is a ConfigSyntaxError: text past `CONFIG_LIMITS.configBytes`, nesting past {@link MAX_CONFIG_DEPTH}, alias bombs,
 * and whatever else the parser throws on hostile text (a RangeError from a stack it ran out of).
 */
export function parseConfigText(text: string, source = 'config'): unknown {
  if (Buffer.byteLength(text, 'utf8') > CONFIG_LIMITS.configBytes) throw new ConfigSyntaxError([{ path: source, message: tooLarge }]);
  try {
    return parseBounded(text, source);
  } catch (error) {
    if (error instanceof ConfigSyntaxError) throw error;
    const message =
      error instanceof RangeError
        ? 'is nested too deeply or too large to parse'
        : `could not be parsed: ${String((error as Error)?.message ?? error).split('\n')[0]}`;
    throw new ConfigSyntaxError([{ path: source, message }]);
  }
}

/** Reads and parses a config file; throws ConfigSyntaxError naming the file when it cannot be read or parsed. */
export function readConfigFile(file: string): unknown {
  if (!existsSync(file) || !statSync(file).isFile()) throw new ConfigSyntaxError([{ path: '(file)', message: `${file} does not exist or is not a file` }]);
  if (statSync(file).size > CONFIG_LIMITS.configBytes) throw new ConfigSyntaxError([{ path: file, message: tooLarge }]);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigSyntaxError([{ path: '(file)', message: `${file} cannot be read: ${(error as Error).message}` }]);
  }
  return parseConfigText(text, file);
}

/** A path from a config made absolute: relative paths are relative to `baseDir`. */
export function resolveConfigPath(baseDir: string, p: string): string {
  return isAbsolute(p) ? p : resolve(baseDir, p);
}

/** The folder relative paths of a config file are resolved against. */
export function configBaseDir(file: string): string {
  return dirname(resolve(file));
}
