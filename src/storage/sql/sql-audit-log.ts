import type { AuditAction, AuditDraft, AuditEntry, AuditQuery } from '../../auth/audit.types';
import type { AuditLog } from '../../auth/ports/audit-log.port';
import { SqlDialect } from './sql-dialect';

interface AuditRow {
  id: number;
  at: number | string;
  actor: string;
  action: string;
  target: string;
  origin: string;
  detail: string | null;
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    id: Number(row.id),
    at: Number(row.at),
    actor: row.actor,
    action: row.action as AuditAction,
    target: row.target,
    origin: row.origin,
    detail: row.detail ? JSON.parse(row.detail) : null,
  };
}

/** The audit log in the `audit_log` table: insert only. */
export class SqlAuditLog implements AuditLog {
  constructor(private readonly db: SqlDialect) {}

  async append(entry: AuditDraft): Promise<AuditEntry> {
    const [row] = await this.db.rows<AuditRow>('INSERT INTO audit_log (at, actor, action, target, origin, detail) VALUES (?, ?, ?, ?, ?, ?) RETURNING *', [
      entry.at,
      entry.actor.slice(0, 64),
      entry.action,
      entry.target.slice(0, 300),
      entry.origin.slice(0, 100),
      entry.detail ? JSON.stringify(entry.detail) : null,
    ]);
    return toEntry(row);
  }

  async list(query: AuditQuery): Promise<AuditEntry[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.before !== undefined) {
      where.push('id < ?');
      params.push(query.before);
    }
    if (query.actor !== undefined) {
      where.push('actor = ?');
      params.push(query.actor);
    }
    if (query.action !== undefined) {
      where.push('action = ?');
      params.push(query.action);
    }
    const sql = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    return (await this.db.rows<AuditRow>(sql, [...params, query.limit])).map(toEntry);
  }
}
