import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Principal } from '../../auth/api-key.types';
import { OPEN_PRINCIPAL_NAME } from '../../auth/api-key.types';
import { Scope, scopeAllows } from '../../auth/scopes';
import { ForbiddenError } from '../../domain/errors';
import { AccessPolicy } from './access-policy';
import { defaultScope, PUBLIC_KEY, SCOPE_KEY, UNMETERED_KEY } from './route-access';

/** The request fields the guard reads and sets. */
export interface GuardedRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  ip?: string;
  socket?: { remoteAddress?: string };
  principal?: Principal;
}

/** The client's address as the service saw it (no proxy headers are trusted). */
export function clientAddress(req: GuardedRequest): string {
  return req.socket?.remoteAddress ?? req.ip ?? 'unknown';
}

/** Every route: who the caller is (401 if unknown), whether its scope is enough (403), and its rate limit (429). */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    @Inject(AccessPolicy) private readonly policy: AccessPolicy,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_KEY, [context.getHandler(), context.getClass()])) return true;
    const req = context.switchToHttp().getRequest<GuardedRequest>();
    const header = req.headers.authorization;
    const principal = await this.policy.principal(Array.isArray(header) ? header[0] : header);
    req.principal = principal;
    if (!this.reflector.getAllAndOverride<boolean | undefined>(UNMETERED_KEY, [context.getHandler(), context.getClass()]))
      this.policy.charge(principal.name === OPEN_PRINCIPAL_NAME ? `address ${clientAddress(req)}` : `key ${principal.name}`);
    const needed = this.reflector.getAllAndOverride<Scope | undefined>(SCOPE_KEY, [context.getHandler(), context.getClass()]) ?? defaultScope(req.method);
    if (!scopeAllows(principal.scope, needed))
      throw new ForbiddenError(`this needs a key with the ${needed} scope; key ${principal.name} has ${principal.scope}`);
    return true;
  }
}
