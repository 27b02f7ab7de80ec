import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { from, Observable, switchMap } from 'rxjs';
import { AuditService } from '../../auth/audit.service';
import { clientAddress, GuardedRequest } from './access.guard';
import { AUDIT_KEY, AuditedRequest, AuditSpec } from './route-access';

/** Writes an audit entry for every successful call of a route marked {@link Audited}, before the response goes out. */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const spec = this.reflector.get<AuditSpec | undefined>(AUDIT_KEY, context.getHandler());
    if (!spec) return next.handle();
    const req = context.switchToHttp().getRequest<GuardedRequest & AuditedRequest>();
    return next
      .handle()
      .pipe(
        switchMap((result) =>
          from(
            this.audit
              .record(req.principal?.name ?? 'unknown', spec.action, spec.target(req, result), clientAddress(req), spec.detail?.(req, result) ?? null)
              .then(() => result),
          ),
        ),
      );
  }
}
