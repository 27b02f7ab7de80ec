/** What the audit log records: every change a caller makes through the service, and key changes. */
export const AUDIT_ACTIONS = [
  'submit',
  'cancel',
  'resume',
  'update',
  'enqueue',
  'promote',
  'alias-move',
  'alias-delete',
  'archive',
  'version-delete',
  'key-create',
  'key-revoke',
] as const;

/** One of {@link AUDIT_ACTIONS}. */
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** One entry: who (a key's name), what, on what, when, from where. */
export interface AuditEntry {
  id: number;
  at: number;
  /** The key's name, `open` on a service without keys, `local` for the CLI on the database. */
  actor: string;
  action: AuditAction;
  /** What it acted on (`experiment 4`, `model iris/production`, `key ci`). */
  target: string;
  /** The client's address, or `cli`. */
  origin: string;
  /** Small JSON details (the new budget, the version an alias moved to). */
  detail: Readonly<Record<string, unknown>> | null;
}

/** A new entry, before the store numbers it. */
export type AuditDraft = Omit<AuditEntry, 'id'>;

/** Filters and paging of the audit log: newest first, `before` an id for the next page. */
export interface AuditQuery {
  limit: number;
  before?: number;
  actor?: string;
  action?: AuditAction;
}
