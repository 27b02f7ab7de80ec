import { CONFIG_TOO_LARGE } from '../config/config-loader';
import { CONFIG_LIMITS } from '../config/defaults';
import { BadRequestError } from '../domain/errors';

/** The fields body-parser sets on the errors it raises (they are `http-errors`). */
interface BodyParserError {
  type?: unknown;
  body?: unknown;
  message?: unknown;
}

/**
 * The problem, at path `body`, that a JSON body-parser error stands for; undefined for any other
 * error. body-parser's strict mode refuses a JSON body that is not an object or an array (`null`,
 * `42`, `"text"`) with the same "is not valid JSON" as real syntax errors, which would tell a
 * client to fix the wrong thing, so the raw text is parsed again to tell the two apart.
 */
export function bodyParseProblem(error: unknown): BadRequestError | undefined {
  const e = error as BodyParserError | null | undefined;
  if (e?.type !== 'entity.parse.failed') return undefined;
  if (typeof e.body === 'string') {
    try {
      JSON.parse(e.body);
      return new BadRequestError([{ path: 'body', message: 'must be an object' }]);
    } catch {
      // not JSON at all: reported below
    }
  }
  return new BadRequestError([{ path: 'body', message: `is not valid JSON: ${String(e.message ?? 'unreadable')}` }]);
}

/** The body-parser error type of a config body past `CONFIG_LIMITS.configBytes`. */
const CONFIG_TOO_LARGE_TYPE = 'config.too.large';

/** The route whose bodies are experiment configs (`POST /api/experiments`). */
const CONFIG_ROUTE = /^\/api\/experiments\/?(\?|$)/;

/**
 * body-parser's `verify` hook: a config body larger than `CONFIG_LIMITS.configBytes` is refused
 * from its raw bytes, before it is parsed, so that a large body costs its transfer and not a parse
 * on the main thread. Other routes keep the general body limit (prediction batches).
 */
export function limitConfigBodies(req: { method?: string; url?: string }, _res: unknown, buf: Buffer): void {
  if (req.method === 'POST' && CONFIG_ROUTE.test(req.url ?? '') && buf.length > CONFIG_LIMITS.configBytes)
    throw Object.assign(new Error(CONFIG_TOO_LARGE), { type: CONFIG_TOO_LARGE_TYPE });
}

/**
 * Express error middleware for just after the body parsers: turns a parse failure into the
 * service's 400 with `problems`, before Nest would map the SyntaxError to a bare BadRequestException,
 * and a config body past its limit into a 413.
 */
export function bodyParseErrorHandler(error: unknown, _req: unknown, _res: unknown, next: (error: unknown) => void): void {
  if ((error as BodyParserError | null)?.type === CONFIG_TOO_LARGE_TYPE)
    return next(Object.assign(new Error(`the config ${CONFIG_TOO_LARGE}`), { status: 413 }));
  next(bodyParseProblem(error) ?? error);
}
