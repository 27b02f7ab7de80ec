import { AuditAction, AuditEntry, AuditQuery } from './audit.types';
import type { AuditLog } from './ports/audit-log.port';

/** Most entries one audit query returns. */
export const MAX_AUDIT_PAGE = 1000;

/** Default page size of an audit query. */
export const DEFAULT_AUDIT_PAGE = 100;

/** Records who changed what, when and from where; read by admins (`GET /api/audit`, `hpo audit`). */
export class AuditService {
  constructor(
    private readonly log: AuditLog,
    private readonly now: () => number = Date.now,
  ) {}

  /** Appends an entry. */
  record(actor: string, action: AuditAction, target: string, origin: string, detail: Record<string, unknown> | null = null): Promise<AuditEntry> {
    return this.log.append({ at: this.now(), actor, action, target, origin, detail });
  }

  /** Entries newest first. */
  list(query: AuditQuery): Promise<AuditEntry[]> {
    return this.log.list({ ...query, limit: Math.min(query.limit, MAX_AUDIT_PAGE) });
  }
}
