import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { ModelChange, ModelNotifications } from '../../registry/ports/model-notifications.port';

/** The PostgreSQL channel model changes travel on. */
export const MODEL_CHANNEL = 'hpo_model_changed';
/** The longest wait before listening again after the connection was lost. */
const MAX_RELISTEN_MS = 5_000;

/**
 * Model changes over PostgreSQL LISTEN/NOTIFY: one connection listens (and is opened again, with a
 * growing delay, when it drops); a change is published with `pg_notify` on a short-lived connection.
 * Each process tags what it sends, so it ignores its own.
 */
export class PgModelNotifications implements ModelNotifications {
  private readonly origin = randomUUID();
  private listener: Client | undefined;
  private closed = false;
  private handler: ((change: ModelChange) => void) | undefined;

  constructor(private readonly url: string) {}

  async publish(change: ModelChange): Promise<void> {
    const client = new Client({ connectionString: this.url });
    await client.connect();
    try {
      await client.query('SELECT pg_notify($1, $2)', [MODEL_CHANNEL, JSON.stringify({ ...change, origin: this.origin })]);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async subscribe(listener: (change: ModelChange) => void): Promise<void> {
    this.handler = listener;
    await this.listen(200);
  }

  private async listen(delay: number): Promise<void> {
    if (this.closed) return;
    const client = new Client({ connectionString: this.url });
    client.on('notification', (msg) => {
      try {
        const body = JSON.parse(msg.payload ?? '{}') as ModelChange & { origin?: string };
        if (body.origin !== this.origin && typeof body.model === 'string')
          this.handler?.({ model: body.model, ...(body.deletedVersion !== undefined ? { deletedVersion: body.deletedVersion } : {}) });
      } catch {
        // Not ours: ignored.
      }
    });
    const again = (): void => {
      if (this.closed || this.listener !== client) return;
      this.listener = undefined;
      setTimeout(() => void this.listen(Math.min(delay * 2, MAX_RELISTEN_MS)).catch(() => undefined), delay).unref();
    };
    client.on('error', again);
    client.on('end', again);
    this.listener = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${MODEL_CHANNEL}`);
    } catch (error) {
      again();
      if (delay === 200) throw error;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.listener;
    this.listener = undefined;
    await client?.end().catch(() => undefined);
  }
}
