import type { ConnectionOptions } from 'bullmq';
import { BadRequestError } from '../domain/errors';

const bad = (message: string): BadRequestError => new BadRequestError([{ path: '--queue', message }]);

/** The longest wait between two attempts to reach Redis again after it went away. */
export const MAX_RECONNECT_DELAY_MS = 5_000;

/** Set `stopped` to make the connections made with it stop trying to reconnect (a process that gives up). */
export interface ReconnectControl {
  stopped: boolean;
}

/**
 * BullMQ connection options from a `redis://[user:password@]host:port[/db]` URL. Commands wait for
 * a lost connection to come back (`maxRetriesPerRequest: null`, which BullMQ workers need) and it is
 * retried with a growing delay, so a Redis restart pauses the fleet instead of failing its trials,
 * until `control.stopped` is set.
 */
export function redisConnection(url: string, control: ReconnectControl = { stopped: false }): ConnectionOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw bad(`must be a redis:// URL, got "${url}"`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw bad(`must be a redis:// URL, got "${url}"`);
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw bad(`the database number in "${url}" must be a whole number`);
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    db,
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => (control.stopped ? null : Math.min(100 * 2 ** Math.min(times, 10), MAX_RECONNECT_DELAY_MS)),
  };
}

/** The same connection problem is said at most once in this many ms (a lost Redis is retried many times a second at first). */
export const WARNING_INTERVAL_MS = 30_000;

/** A warning function that says each distinct message at most once per {@link WARNING_INTERVAL_MS}. */
export function throttledWarning(prefix: string, now: () => number = Date.now): (error: Error) => void {
  const said = new Map<string, number>();
  return (error) => {
    const at = said.get(error.message);
    if (at !== undefined && now() - at < WARNING_INTERVAL_MS) return;
    said.set(error.message, now());
    process.emitWarning(`${prefix}: ${error.message} (retrying)`);
  };
}

/** How long opening a queue connection waits for Redis before the process gives up with a message. */
export const CONNECT_TIMEOUT_MS = 10_000;

/** Waits for `ready`, or rejects after {@link CONNECT_TIMEOUT_MS} saying that Redis did not answer. */
export async function readyWithin(ready: Promise<unknown>, url: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis at ${url} did not answer within ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS);
  });
  try {
    await Promise.race([ready, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
