/** Something the cache can hold: it knows its size and how to free itself. */
export interface Cacheable {
  bytes: number;
  dispose(): void;
}

/** Bounds of a {@link ModelCache}. */
export interface CacheLimits {
  maxEntries: number;
  maxBytes: number;
}

interface Entry<T> {
  promise: Promise<T>;
  value?: T;
  inUse: number;
  evicted: boolean;
}

/**
 * A least-recently-used cache of loaded models, bounded in count and bytes. Concurrent requests
 * for one key share one load; a failed load is not kept. An evicted model is freed only when the
 * last request using it is done, so eviction never pulls a model from under a running request.
 */
export class ModelCache<T extends Cacheable> {
  // A Map iterates in insertion order: re-inserting on use keeps the least recent first.
  private readonly entries = new Map<string, Entry<T>>();

  constructor(private readonly limits: CacheLimits) {}

  /** Runs `work` on the model under `key`, loading it with `load` if it is not here. */
  async use<R>(key: string, load: () => Promise<T>, work: (value: T) => R | Promise<R>): Promise<R> {
    let entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    } else {
      const created: Entry<T> = { promise: load(), inUse: 0, evicted: false };
      entry = created;
      this.entries.set(key, created);
      created.promise.then(
        (value) => {
          created.value = value;
          this.enforceLimits(key);
        },
        () => {
          if (this.entries.get(key) === created) this.entries.delete(key);
        },
      );
    }
    entry.inUse++;
    try {
      return await work(await entry.promise);
    } finally {
      entry.inUse--;
      this.release(entry);
    }
  }

  /** Whether a model is loaded (or loading) under `key`. */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Keys from least to most recently used. */
  keys(): string[] {
    return [...this.entries.keys()];
  }

  /** Bytes of the loaded models. */
  get bytes(): number {
    let total = 0;
    for (const e of this.entries.values()) total += e.value?.bytes ?? 0;
    return total;
  }

  /** Drops `key` (freed once no request uses it). */
  evict(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    entry.evicted = true;
    this.release(entry);
  }

  /** Drops every model. */
  clear(): void {
    for (const key of this.keys()) this.evict(key);
  }

  private release(entry: Entry<T>): void {
    if (entry.evicted && entry.inUse === 0 && entry.value) {
      const value = entry.value;
      entry.value = undefined;
      value.dispose();
    }
  }

  private enforceLimits(keep: string): void {
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.limits.maxEntries && this.bytes <= this.limits.maxBytes) return;
      if (key !== keep && entry.value) this.evict(key);
    }
  }
}
