import { StoreUnavailableError } from '../../domain/errors';

/** Socket errors of a connection refused, dropped or timed out: the server or the network went away. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTCONN', 'ECONNABORTED', 'EAI_AGAIN']);

/**
 * PostgreSQL SQLSTATEs that say the server is going away or not there yet, not that the statement
 * was wrong: admin shutdown (57P01, `pg_terminate_backend` included), crash shutdown (57P02),
 * cannot connect now (57P03: starting up, in recovery). Class 08 (connection exceptions) is matched
 * as a class.
 */
const POSTGRES_CODES = new Set(['57P01', '57P02', '57P03']);

/**
 * What node-postgres and pg-pool say, without a code, when a connection ends under a query or
 * cannot be had in time.
 */
const CONNECTION_MESSAGES = [
  /Connection terminated/i,
  /not queryable/i,
  /timeout exceeded when trying to connect/i,
  /Client was closed and is not queryable/i,
  /Connection ended unexpectedly/i,
];

/** The codes an error (or what it wraps: TypeORM's `driverError`, an `AggregateError`'s parts, a `cause`) carries. */
function codesOf(error: unknown, depth = 0): string[] {
  if (typeof error !== 'object' || error === null || depth > 4) return [];
  const e = error as { code?: unknown; driverError?: unknown; cause?: unknown; errors?: unknown };
  const own = typeof e.code === 'string' ? [e.code] : [];
  const nested = [e.driverError, e.cause, ...(Array.isArray(e.errors) ? e.errors : [])].flatMap((x) => codesOf(x, depth + 1));
  return own.concat(nested);
}

/**
 * Whether a database error is about reaching the database rather than about the statement: a
 * refused, reset or broken connection, a PostgreSQL server shutting down or starting, a connection
 * exception (SQLSTATE class 08), or SQLite still locked by another process after its busy timeout
 * (`SQLITE_BUSY`, and its extended codes). Such a statement may succeed when tried again; any other
 * error (a constraint, a syntax error) would fail the same way.
 */
export function isTransientDbError(error: unknown): boolean {
  const codes = codesOf(error);
  if (codes.some((c) => SOCKET_CODES.has(c) || POSTGRES_CODES.has(c) || /^08[0-9A-Z]{3}$/.test(c) || c.startsWith('SQLITE_BUSY'))) return true;
  const message = error instanceof Error ? error.message : '';
  return CONNECTION_MESSAGES.some((m) => m.test(message));
}

/**
 * The error storage throws: a transient one as a {@link StoreUnavailableError} naming the
 * database's kind (the driver's error kept as its cause), any other as it came.
 */
export function asStoreError(error: unknown, engine: 'PostgreSQL' | 'SQLite'): unknown {
  if (error instanceof StoreUnavailableError || !isTransientDbError(error)) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new StoreUnavailableError(`${engine} cannot be reached: ${detail || codesOf(error)[0] || 'connection lost'}`, { cause: error });
}
