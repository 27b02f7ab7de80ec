import { CallHandler, ExecutionContext, Injectable, NestInterceptor, ServiceUnavailableException } from '@nestjs/common';
import { catchError, Observable, throwError, timeout, TimeoutError } from 'rxjs';

/** Answers 503 when a handler takes longer than the service's request timeout (`HPO_REQUEST_TIMEOUT_SEC`). */
@Injectable()
export class RequestTimeoutInterceptor implements NestInterceptor {
  constructor(private readonly timeoutMs: number) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      timeout(this.timeoutMs),
      catchError((error: unknown) =>
        throwError(() =>
          error instanceof TimeoutError
            ? new ServiceUnavailableException(`the request took longer than ${this.timeoutMs / 1000} s (HPO_REQUEST_TIMEOUT_SEC)`)
            : error,
        ),
      ),
    );
  }
}
