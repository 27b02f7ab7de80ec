import type { ApiKeyRecord } from '../../auth/api-key.types';
import type { AuditDraft, AuditEntry, AuditQuery } from '../../auth/audit.types';
import type { AuditLog } from '../../auth/ports/audit-log.port';
import type { KeyRepository } from '../../auth/ports/key-repository.port';
import { copy } from './memory-state';

/** API keys in memory; see the port for the contract. */
export class MemoryKeyRepository implements KeyRepository {
  private readonly keys = new Map<string, ApiKeyRecord>();

  async insert(key: ApiKeyRecord): Promise<boolean> {
    if (this.keys.has(key.id) || [...this.keys.values()].some((k) => k.name === key.name)) return false;
    this.keys.set(key.id, copy(key));
    return true;
  }

  async byId(id: string): Promise<ApiKeyRecord | undefined> {
    const key = this.keys.get(id);
    return key ? copy(key) : undefined;
  }

  async list(): Promise<ApiKeyRecord[]> {
    return [...this.keys.values()].sort((a, b) => a.createdAt - b.createdAt || a.name.localeCompare(b.name)).map(copy);
  }

  async revoke(name: string, now: number): Promise<boolean> {
    const key = [...this.keys.values()].find((k) => k.name === name && k.revokedAt === null);
    if (!key) return false;
    key.revokedAt = now;
    return true;
  }

  async countActive(): Promise<number> {
    return [...this.keys.values()].filter((k) => k.revokedAt === null).length;
  }

  async touch(id: string, now: number): Promise<void> {
    const key = this.keys.get(id);
    if (key) key.lastUsedAt = now;
  }
}

/** The audit log in memory. */
export class MemoryAuditLog implements AuditLog {
  private readonly entries: AuditEntry[] = [];

  async append(entry: AuditDraft): Promise<AuditEntry> {
    const stored = { ...copy(entry), id: this.entries.length + 1 };
    this.entries.push(stored);
    return copy(stored);
  }

  async list(query: AuditQuery): Promise<AuditEntry[]> {
    const out: AuditEntry[] = [];
    for (let i = this.entries.length - 1; i >= 0 && out.length < query.limit; i--) {
      const e = this.entries[i];
      if (query.before !== undefined && e.id >= query.before) continue;
      if (query.actor !== undefined && e.actor !== query.actor) continue;
      if (query.action !== undefined && e.action !== query.action) continue;
      out.push(copy(e));
    }
    return out;
  }
}
