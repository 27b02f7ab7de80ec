/**
 * The errors every layer may throw and every front door knows how to show: HTTP maps them to a
 * status once (`src/api/domain-exception.filter.ts`), the CLI to an exit code once.
 */

/** One thing wrong with some input, named by its path (`space.lr.low`, `body.version`, `--limit`). */
export interface Problem {
  path: string;
  message: string;
}

/** Input with problems, each by path (HTTP 400, CLI exit code 2). */
export class ProblemsError extends Error {
  constructor(
    readonly problems: Problem[],
    summary?: string,
  ) {
    super(summary ?? problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  }
}

/** Bad input that is not a config: a query parameter, a cursor, a body field, a flag. */
export class BadRequestError extends ProblemsError {}

/** Config text that could not be parsed as YAML or JSON; `problems` say where. */
export class ConfigSyntaxError extends ProblemsError {
  constructor(problems: Problem[]) {
    super(problems, problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  }
}

/** A config that failed validation: every problem, by path. */
export class ExperimentValidationError extends ProblemsError {
  constructor(problems: Problem[]) {
    super(problems, `invalid experiment config:\n${problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`);
  }
}

/** Something asked for does not exist (HTTP 404). */
export class NotFoundError extends Error {}

/** The request is well-formed but conflicts with the current state (HTTP 409). */
export class ConflictError extends Error {}

/** A setting of the service (a flag or an environment variable) that cannot be used; the message names it. */
export class SettingsError extends Error {}

/** A request without valid credentials (HTTP 401): no key, an unknown key, or a revoked one. */
export class UnauthorizedError extends Error {}

/** A request whose credentials do not allow what it asks (HTTP 403): a weaker scope, a refused origin or host. */
export class ForbiddenError extends Error {}

/** A caller over one of its limits (HTTP 429); `retryAfterSec` says when to try again. */
export class TooManyRequestsError extends Error {
  constructor(
    message: string,
    readonly retryAfterSec: number,
  ) {
    super(message);
  }
}

/**
 * The database could not be reached (a refused or dropped connection, a server restarting, SQLite
 * locked past its busy timeout): trying again later may succeed (HTTP 503). Storage throws it in
 * place of the driver's error, kept as `cause`, so the layers above need not know driver codes.
 */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
