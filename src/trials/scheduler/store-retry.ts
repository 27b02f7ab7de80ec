import { StoreUnavailableError } from '../../domain/errors';

/** The first wait before writing again after the database could not be reached. */
export const STORE_RETRY_FIRST_DELAY_MS = 100;
/** The longest wait between two tries (the delay doubles up to it). */
export const STORE_RETRY_MAX_DELAY_MS = 5_000;
/** Default of how long a write that must not be lost keeps being tried (`HPO_DB_RETRY_SEC`). */
export const DEFAULT_STORE_RETRY_SEC = 300;

/** How a write that must not be lost is tried again while the database is away. */
export interface StoreRetryOptions {
  /** How long, from the first failure, it keeps trying before the error is let through. */
  patienceMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** A uniform draw in [0, 1) for the jitter (not the search's seeded stream: timing only). */
  random?: () => number;
  /** Stops trying at once (the process is going away): the last error is let through. */
  stopped?: () => boolean;
  /** Told before each wait, with what is being written and the error (for a warning, once in a while). */
  onRetry?: (what: string, error: StoreUnavailableError, delayMs: number) => void;
}

/**
 * The wait before try `retry + 1` (`retry` from 0): the delay doubles from
 * {@link STORE_RETRY_FIRST_DELAY_MS} up to {@link STORE_RETRY_MAX_DELAY_MS}, and half of it is
 * random, so processes that lost the database together do not all come back in the same
 * millisecond ("equal jitter").
 */
export function backoffDelay(retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(STORE_RETRY_MAX_DELAY_MS, STORE_RETRY_FIRST_DELAY_MS * 2 ** Math.min(retry, 20));
  return ceiling / 2 + random() * (ceiling / 2);
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs a store write, and runs it again with capped exponential backoff and jitter while the store
 * says it cannot be reached ({@link StoreUnavailableError}), for up to `patienceMs`. Any other error
 * goes through at once. A connection that broke after a write was sent leaves it unknown whether it
 * committed: before each new try `recover` reads the store and returns what the write returned if
 * its effect is already there (undefined if not), so a retried write is never applied twice.
 */
export async function retryStore<T>(what: string, write: () => Promise<T>, options: StoreRetryOptions, recover?: () => Promise<T | undefined>): Promise<T> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  let firstFailure: number | undefined;
  for (let retry = 0; ; retry++) {
    try {
      if (retry > 0 && recover) {
        const done = await recover();
        if (done !== undefined) return done;
      }
      return await write();
    } catch (error) {
      if (!(error instanceof StoreUnavailableError) || options.stopped?.()) throw error;
      firstFailure ??= now();
      const delay = backoffDelay(retry, options.random);
      if (now() + delay - firstFailure > options.patienceMs) throw error;
      options.onRetry?.(what, error, delay);
      await sleep(delay);
    }
  }
}
