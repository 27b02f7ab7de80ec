import type { ApiKeyRecord } from '../../auth/api-key.types';
import type { KeyRepository } from '../../auth/ports/key-repository.port';
import type { Scope } from '../../auth/scopes';
import { SqlDialect } from './sql-dialect';

interface KeyRow {
  id: string;
  name: string;
  scope: string;
  salt: string;
  hash: string;
  created_at: number | string;
  revoked_at: number | string | null;
  last_used_at: number | string | null;
}

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

function toKey(row: KeyRow): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope as Scope,
    salt: row.salt,
    hash: row.hash,
    createdAt: Number(row.created_at),
    revokedAt: num(row.revoked_at),
    lastUsedAt: num(row.last_used_at),
  };
}

/** API keys in the `api_key` table. */
export class SqlKeyRepository implements KeyRepository {
  constructor(private readonly db: SqlDialect) {}

  async insert(key: ApiKeyRecord): Promise<boolean> {
    const changed = await this.db.changes('INSERT INTO api_key (id, name, scope, salt, hash, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING', [
      key.id,
      key.name,
      key.scope,
      key.salt,
      key.hash,
      key.createdAt,
    ]);
    return changed === 1;
  }

  async byId(id: string): Promise<ApiKeyRecord | undefined> {
    const [row] = await this.db.rows<KeyRow>('SELECT * FROM api_key WHERE id = ?', [id]);
    return row ? toKey(row) : undefined;
  }

  async list(): Promise<ApiKeyRecord[]> {
    return (await this.db.rows<KeyRow>('SELECT * FROM api_key ORDER BY created_at, name')).map(toKey);
  }

  async revoke(name: string, now: number): Promise<boolean> {
    return (await this.db.changes('UPDATE api_key SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL', [now, name])) === 1;
  }

  async countActive(): Promise<number> {
    const [row] = await this.db.rows<{ n: number | string }>('SELECT COUNT(*) AS n FROM api_key WHERE revoked_at IS NULL');
    return Number(row.n);
  }

  async touch(id: string, now: number): Promise<void> {
    await this.db.changes('UPDATE api_key SET last_used_at = ? WHERE id = ?', [now, id]);
  }
}
