import { STATUS_CODES } from 'node:http';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import {
  BadRequestError,
  ConfigSyntaxError,
  ConflictError,
  ExperimentValidationError,
  ForbiddenError,
  NotFoundError,
  StoreUnavailableError,
  TooManyRequestsError,
  UnauthorizedError,
} from '../domain/errors';

/** What a 503 for a database that cannot be reached tells the client to wait before trying again. */
export const STORE_RETRY_AFTER_SEC = 5;

/** The body of every error response: a status, a short title, a message, and problems by path when there are any. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  problems?: { path: string; message: string }[];
}

/** Maps a thrown value to an HTTP status and body; unknown errors become a 500 without internals. */
export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof ExperimentValidationError || error instanceof ConfigSyntaxError || error instanceof BadRequestError) {
    return { statusCode: 400, error: 'Bad Request', message: 'the request has problems; see problems', problems: error.problems };
  }
  if (error instanceof NotFoundError) return { statusCode: 404, error: 'Not Found', message: error.message };
  if (error instanceof ConflictError) return { statusCode: 409, error: 'Conflict', message: error.message };
  if (error instanceof UnauthorizedError) return { statusCode: 401, error: 'Unauthorized', message: error.message };
  if (error instanceof ForbiddenError) return { statusCode: 403, error: 'Forbidden', message: error.message };
  if (error instanceof TooManyRequestsError) return { statusCode: 429, error: 'Too Many Requests', message: error.message };
  if (error instanceof StoreUnavailableError) return { statusCode: 503, error: 'Service Unavailable', message: `${error.message}; try again shortly` };
  if (error instanceof HttpException) {
    // Nest's own (an unknown route's 404, say): the same titles as ours, not the class name.
    const response = error.getResponse();
    const message = typeof response === 'string' ? response : String((response as { message?: unknown }).message ?? error.message);
    return { statusCode: error.getStatus(), error: STATUS_CODES[error.getStatus()] ?? error.name, message };
  }
  const status = (error as { status?: unknown; type?: unknown })?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // body-parser errors other than a parse failure (body too large, bad charset): about the body as a whole.
    const message = (error as Error).message;
    return { statusCode: status, error: STATUS_CODES[status] ?? 'Bad Request', message, problems: [{ path: 'body', message }] };
  }
  return { statusCode: 500, error: 'Internal Server Error', message: 'internal error' };
}

/** The part of the platform's response object the filter uses. */
interface HttpResponse {
  status(code: number): { json(body: unknown): void };
  setHeader(name: string, value: string): void;
}

/** The one place where domain errors become HTTP responses. */
@Catch()
export class DomainExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(error: unknown, host: ArgumentsHost): void {
    const body = toErrorBody(error);
    // A database that went away is said in one line: its stack says nothing about this service's code.
    if (body.statusCode === 503) this.logger.warn(body.message);
    else if (body.statusCode >= 500) this.logger.error((error as Error)?.stack ?? String(error));
    const response = host.switchToHttp().getResponse<HttpResponse>();
    if (body.statusCode === 401) response.setHeader('WWW-Authenticate', 'Bearer realm="hpo"');
    if (error instanceof TooManyRequestsError) response.setHeader('Retry-After', String(error.retryAfterSec));
    if (error instanceof StoreUnavailableError) response.setHeader('Retry-After', String(STORE_RETRY_AFTER_SEC));
    response.status(body.statusCode).json(body);
  }
}
