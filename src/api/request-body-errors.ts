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

/**
 * Express error middleware for just after the body parsers: turns a parse failure into the
 * service's 400 with `problems`, before Nest would map the SyntaxError to a bare BadRequestException.
 */
export function bodyParseErrorHandler(error: unknown, _req: unknown, _res: unknown, next: (error: unknown) => void): void {
  next(bodyParseProblem(error) ?? error);
}
