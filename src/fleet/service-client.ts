/** The first wait before trying the services again when none answered; it doubles up to {@link MAX_BACKOFF_MS}. */
export const FIRST_BACKOFF_MS = 200;
/** The longest wait between two rounds of attempts to reach a service. */
export const MAX_BACKOFF_MS = 5_000;

/** A service answered with an error status that trying again will not change. */
export class ServiceError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The longest one request may take (an input file of a few hundred MB included). */
export const CALL_TIMEOUT_MS = 300_000;

/** How long, in total, one call keeps trying before it gives up (a result must outlive a service restart). */
export const DEFAULT_CALL_PATIENCE_MS = 120_000;

/**
 * HTTP calls from a worker to the service(s) under `/api`. Every call carries `Authorization: Bearer KEY`
 * when a key is given. A call goes to the first service that answers: a refused connection, a 5xx or a
 * 421 (another scheduler holds that attempt) moves on to the next address, and when none answered it
 * waits (200 ms doubling to 5 s) and goes round again until its patience is spent.
 */
export class ServiceClient {
  constructor(
    private readonly apis: readonly string[],
    private readonly key?: string,
    private readonly patienceMs = DEFAULT_CALL_PATIENCE_MS,
  ) {
    if (apis.length === 0) throw new Error('--api: give at least one service address');
  }

  /** POSTs JSON and returns the JSON answer. */
  async postJson<T>(path: string, body: unknown): Promise<T> {
    const res = await this.call(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return (await res.json()) as T;
  }

  /** Sends a heartbeat to every service (each one watches the attempts it dispatched); the answers in order, null where unreachable. */
  async postToAll<T>(path: string, body: unknown): Promise<(T | null)[]> {
    return Promise.all(
      this.apis.map(async (api) => {
        try {
          const res = await fetch(this.url(api, path), {
            method: 'POST',
            headers: this.headers({ 'content-type': 'application/json' }),
            body: JSON.stringify(body),
            signal: AbortSignal.timeout(5_000),
          });
          return res.ok ? ((await res.json()) as T) : null;
        } catch {
          return null;
        }
      }),
    );
  }

  /**
   * Sends `body` once to every service and throws when one refuses the key (401 or 403), so that a
   * worker with a missing or weak key stops at start with the reason instead of taking trials it
   * could never report. A service that does not answer is not an error here: calls retry later.
   */
  async checkAccess(path: string, body: unknown): Promise<void> {
    for (const api of this.apis) {
      let res: Response;
      try {
        res = await fetch(this.url(api, path), {
          method: 'POST',
          headers: this.headers({ 'content-type': 'application/json' }),
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(5_000),
        });
      } catch {
        continue;
      }
      if (res.status === 401 || res.status === 403) {
        const message = ((await res.json().catch(() => ({}))) as { message?: string }).message ?? res.statusText;
        throw new ServiceError(
          res.status,
          `${api} refused this worker (${res.status}): ${message}; a worker needs a key with the admin scope (--key or HPO_API_KEY)`,
        );
      }
    }
  }

  /** GETs JSON. */
  async getJson<T>(path: string): Promise<T> {
    return (await (await this.call(path, { method: 'GET' })).json()) as T;
  }

  /** PUTs bytes (an artifact file) with their SHA-256. */
  async putBytes(path: string, bytes: Buffer, sha256: string): Promise<void> {
    await this.call(path, { method: 'PUT', headers: { 'content-type': 'application/octet-stream', 'x-content-sha256': sha256 }, body: bytes });
  }

  /** GETs bytes (an input file). */
  async getBytes(path: string): Promise<Buffer> {
    const res = await this.call(path, { method: 'GET' });
    return Buffer.from(await res.arrayBuffer());
  }

  private url(api: string, path: string): string {
    return `${api.replace(/\/+$/, '')}/api/${path}`;
  }

  private headers(extra: Record<string, string>): Record<string, string> {
    return this.key ? { ...extra, authorization: `Bearer ${this.key}` } : extra;
  }

  private async call(path: string, init: { method: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<Response> {
    const deadline = Date.now() + this.patienceMs;
    let backoff = FIRST_BACKOFF_MS;
    let last = 'no service answered';
    for (;;) {
      for (const api of this.apis) {
        try {
          const res = await fetch(this.url(api, path), { ...init, headers: this.headers(init.headers ?? {}), signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
          if (res.ok) return res;
          const text = await res.text();
          last = `${api}: ${res.status} ${text.slice(0, 300)}`;
          if (res.status !== 421 && res.status < 500) throw new ServiceError(res.status, last);
        } catch (error) {
          if (error instanceof ServiceError) throw error;
          last = `${api}: ${(error as Error).message}`;
        }
      }
      if (Date.now() + backoff > deadline) throw new Error(`${init.method} /api/${path}: ${last}`);
      await new Promise((resolve) => setTimeout(resolve, backoff));
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  }
}
