import type { AuditDraft, AuditEntry, AuditQuery } from '../audit.types';

/** The audit log's records: appended, never changed. */
export interface AuditLog {
  append(entry: AuditDraft): Promise<AuditEntry>;
  /** Newest first. */
  list(query: AuditQuery): Promise<AuditEntry[]>;
}
