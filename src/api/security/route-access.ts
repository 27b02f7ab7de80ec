import { SetMetadata } from '@nestjs/common';
import type { AuditAction } from '../../auth/audit.types';
import type { Scope } from '../../auth/scopes';

/** Metadata key of {@link RequireScope}. */
export const SCOPE_KEY = 'hpo:scope';
/** Metadata key of {@link Public}. */
export const PUBLIC_KEY = 'hpo:public';
/** Metadata key of {@link Unmetered}. */
export const UNMETERED_KEY = 'hpo:unmetered';
/** Metadata key of {@link Audited}. */
export const AUDIT_KEY = 'hpo:audit';

/**
 * The scope a route needs. Without it a route needs `read` for GET and HEAD, `admin` for DELETE
 * and `write` for any other method; routes say so where that rule is wrong (predict is a POST that
 * reads).
 */
export const RequireScope = (scope: Scope) => SetMetadata(SCOPE_KEY, scope);

/** A route anyone may call, without a key (health probes): it reads nothing of the records. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/**
 * Routes outside the per-key rate limit: the workers' protocol, whose calls grow with the trials
 * the fleet runs (a report per step, a result per trial), not with what a person asks. They still
 * need their (admin) key.
 */
export const Unmetered = () => SetMetadata(UNMETERED_KEY, true);

/** The request fields an audit target is made from. */
export interface AuditedRequest {
  params: Record<string, string>;
  body: unknown;
}

/** How an audited route names what it acted on and what to keep of the request. */
export interface AuditSpec {
  action: AuditAction;
  target: (req: AuditedRequest, result: unknown) => string;
  detail?: (req: AuditedRequest, result: unknown) => Record<string, unknown> | null;
}

/** Records a successful call of the route in the audit log. */
export const Audited = (spec: AuditSpec) => SetMetadata(AUDIT_KEY, spec);

/** The scope a request needs when its route says nothing. */
export function defaultScope(method: string): Scope {
  if (method === 'GET' || method === 'HEAD') return 'read';
  return method === 'DELETE' ? 'admin' : 'write';
}
