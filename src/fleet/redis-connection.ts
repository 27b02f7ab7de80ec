import type { ConnectionOptions } from 'bullmq';

/** The longest wait between two attempts to reach Redis again after it went away. */
export const MAX_RECONNECT_DELAY_MS = 5_000;

/**
 * BullMQ connection options from a `redis://[user:password@]host:port[/db]` URL. Commands wait for
 * a lost connection to come back (`maxRetriesPerRequest: null`, which BullMQ workers need) and it is
 * retried with a growing delay, so a Redis restart pauses the fleet instead of failing its trials.
 */
export function redisConnection(url: string): ConnectionOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`--queue must be a redis:// URL, got "${url}"`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new Error(`--queue must be a redis:// URL, got "${url}"`);
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw new Error(`--queue: the database number in "${url}" must be a whole number`);
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    db,
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => Math.min(100 * 2 ** Math.min(times, 10), MAX_RECONNECT_DELAY_MS),
  };
}
