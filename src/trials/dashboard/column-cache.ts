import { setImmediate as nextTurn } from 'node:timers/promises';
import { NotFoundError } from '../../domain/errors';
import { ExperimentStore } from '../ports/experiment-store.port';
import { ExperimentRecord } from '../trial.types';
import { TrialColumns } from './trial-columns';

/** How often one experiment's columns are refreshed from the store at most, however many pages poll. */
export const REFRESH_MS = 300;
/** How far back a refresh looks for trials finished by other processes, whose clocks may lag this one's. */
export const CLOCK_MARGIN_MS = 5_000;
/** Experiments whose columns are kept in memory (least recently used go first). */
export const MAX_CACHED_EXPERIMENTS = 8;
/**
 * Trials read per statement on the first read of an experiment. Each chunk is a short statement
 * (tens of milliseconds at most), and the event loop runs between chunks, so the first read of
 * 100,000 trials holds neither the database nor, on SQLite, the process.
 */
export const FIRST_READ_CHUNK = 5_000;
/** Experiments with at least this many trials are read ahead when the service starts; smaller ones read in milliseconds on demand. */
export const READ_AHEAD_MIN_TRIALS = 5_000;
/** The newest experiments the service looks at for ones to read ahead. */
export const READ_AHEAD_RECENT = 50;
/** At most this many experiments are read ahead (half the cache: the rest stays for what users open). */
export const READ_AHEAD_MAX_EXPERIMENTS = MAX_CACHED_EXPERIMENTS / 2;
/** At most this many trials in all are read ahead (about 20 MB of columns per 100,000 trials). */
export const READ_AHEAD_MAX_TRIALS = 400_000;

/** One experiment's columns and what keeps them fresh. */
export interface ColumnEntry {
  columns: TrialColumns;
  record: ExperimentRecord;
  /** False until the first read has gone through every trial. */
  loaded: boolean;
  refreshedAt: number;
  finishedSince: number;
  refreshing?: Promise<void>;
  /** Per-entry memos of derived views (sorted table orders, the overview's series), each tagged with the version it was made at. */
  memo: Map<string, { version: number; value: unknown }>;
}

/**
 * Each experiment's trials as columns in memory, for the dashboard: the first read goes through the
 * trials in chunks by number, later refreshes read only what changed (`changedSince`, three indexed
 * reads). At most {@link MAX_CACHED_EXPERIMENTS} are held. When the service starts, the newest
 * large experiments are read ahead in the background, so the first visit of their page after a
 * restart does not wait for 100,000 rows.
 */
export class ColumnCache {
  private readonly cache = new Map<number, ColumnEntry>();
  private closed = false;
  private readingAhead: Promise<void> = Promise.resolve();

  /** `sizes` changes the chunk and the read-ahead threshold (tests use small ones). */
  constructor(
    private readonly store: ExperimentStore,
    private readonly now: () => number = Date.now,
    private readonly sizes: { chunk: number; readAheadMinTrials: number } = { chunk: FIRST_READ_CHUNK, readAheadMinTrials: READ_AHEAD_MIN_TRIALS },
  ) {}

  /** The loaded columns of an experiment, refreshed if they are older than {@link REFRESH_MS}. */
  async get(id: number): Promise<ColumnEntry> {
    let entry = this.cache.get(id);
    if (!entry) {
      const record = await this.store.experiments.get(id);
      if (!record) throw new NotFoundError(`experiment ${id} not found`);
      // Another call may have made the entry while this one read the record.
      entry = this.cache.get(id) ?? this.add(id, record);
    } else {
      this.cache.delete(id);
      this.cache.set(id, entry);
    }
    if (!entry.loaded || this.now() - entry.refreshedAt >= REFRESH_MS) {
      const e = entry;
      e.refreshing ??= (e.loaded ? this.refresh(id, e) : this.firstRead(id, e)).finally(() => (e.refreshing = undefined));
      await e.refreshing;
    }
    return entry;
  }

  /** The columns of an experiment if they are loaded already (no read, no refresh). */
  peek(id: number): ColumnEntry | undefined {
    const entry = this.cache.get(id);
    return entry?.loaded ? entry : undefined;
  }

  private add(id: number, record: ExperimentRecord): ColumnEntry {
    // Versions start from the clock, past any handed out before a restart or an eviction (see TrialColumns).
    const entry: ColumnEntry = {
      columns: new TrialColumns(record.spec.space, this.now()),
      record,
      loaded: false,
      refreshedAt: 0,
      finishedSince: 0,
      memo: new Map(),
    };
    this.cache.set(id, entry);
    if (this.cache.size > MAX_CACHED_EXPERIMENTS) this.cache.delete(this.cache.keys().next().value as number);
    return entry;
  }

  /**
   * Reads every trial, {@link FIRST_READ_CHUNK} at a time. Trials that change while it reads are
   * caught by the next refresh: those not final when read are read again, and those that finished
   * since the read began have `finished_at` past `finishedSince`.
   */
  private async firstRead(id: number, entry: ColumnEntry): Promise<void> {
    const startedAt = this.now();
    try {
      for (;;) {
        if (this.closed) throw new Error('the dashboard is closed');
        const chunk = await this.store.queries.trialsAfter(id, entry.columns.size, this.sizes.chunk);
        entry.columns.apply(chunk);
        if (chunk.length < this.sizes.chunk) break;
        await nextTurn();
      }
    } catch (error) {
      // A half-read entry is dropped: the next call starts again.
      if (this.cache.get(id) === entry) this.cache.delete(id);
      throw error;
    }
    entry.loaded = true;
    entry.refreshedAt = this.now();
    entry.finishedSince = startedAt - CLOCK_MARGIN_MS;
  }

  private async refresh(id: number, entry: ColumnEntry): Promise<void> {
    const startedAt = this.now();
    const [record, changed] = await Promise.all([this.store.experiments.get(id), this.store.queries.changedSince(id, entry.columns.size, entry.finishedSince)]);
    if (record) entry.record = record;
    entry.columns.apply(changed);
    entry.refreshedAt = this.now();
    entry.finishedSince = startedAt - CLOCK_MARGIN_MS;
  }

  /**
   * Reads ahead, in the background, the newest experiments of at least {@link READ_AHEAD_MIN_TRIALS}
   * trials (within {@link READ_AHEAD_MAX_EXPERIMENTS} and {@link READ_AHEAD_MAX_TRIALS}), one after
   * the other; `then` runs after each is loaded (to warm what is derived from it). Resolves when
   * done; a failure (the store closing) ends it quietly, as nothing waits on it.
   */
  readAhead(then: (id: number) => Promise<unknown> = async () => undefined): Promise<void> {
    const run = async () => {
      const { items } = await this.store.experiments.list({ limit: READ_AHEAD_RECENT, offset: 0 });
      let trials = 0;
      let count = 0;
      for (const e of items) {
        if (this.closed || count >= READ_AHEAD_MAX_EXPERIMENTS) break;
        const counts = await this.store.queries.countsByState(e.id);
        const n = Object.values(counts).reduce((a, b) => a + b, 0);
        if (n < this.sizes.readAheadMinTrials || trials + n > READ_AHEAD_MAX_TRIALS) continue;
        trials += n;
        count++;
        await this.get(e.id);
        if (!this.closed) await then(e.id);
      }
    };
    this.readingAhead = run().catch(() => undefined);
    return this.readingAhead;
  }

  /** Stops reading ahead and waits for the chunk in flight, so the store can be closed after. */
  async close(): Promise<void> {
    this.closed = true;
    await this.readingAhead;
  }
}
