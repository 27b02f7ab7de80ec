import { BadRequestError, NotFoundError } from '../../domain/errors';
import { Params } from '../../search/space/space.types';
import { ExperimentService } from '../experiment.service';
import { ExperimentStore } from '../ports/experiment-store.port';
import { ExperimentView } from '../views';
import { ArtifactFile, artifactFiles } from './artifact-files';
import { Contour, contourOf, DEFAULT_CONTOUR_BINS } from './contour.view';
import { HistorySeries, historySeries, TrialSample, trialSample } from './series.views';
import { Timeline, timelineOf, DEFAULT_TIMELINE_TRIALS } from './timeline.view';
import { ColumnCache, ColumnEntry } from './column-cache';
import { STATE_CODES } from './trial-columns';
import { isSortKey, sortKeys, TablePage, TableQuery, TableRow, tableOrder, tableRows } from './trial-table.view';

const COMPLETE = STATE_CODES.indexOf('COMPLETE');

/** Points a plot gets unless asked: about the pixels of a wide plot. */
export const DEFAULT_PLOT_POINTS = 2_000;
/** The most changed trials one `changes` answer carries; past it the page reloads its views. */
export const MAX_CHANGES = 2_000;
/** Memos kept per experiment (table orders and overview series); the oldest go first. */
const MAX_MEMOS = 16;

/** Intermediate curves of the objective metric for the experiment page. */
export interface Curves {
  metric: string;
  /** Complete and pruned trials there are to choose from. */
  total: number;
  shown: number;
  curves: { number: number; state: string; points: [number, number][] }[];
}

/** What the experiment page draws first: the summary and every bounded series. */
export interface ExperimentOverview {
  experiment: ExperimentView;
  version: number;
  computeSec: number;
  params: { name: string; type: string; values?: unknown[]; low?: number; high?: number; log?: boolean; conditional: boolean }[];
  history: HistorySeries;
  sample: TrialSample;
  timeline: Timeline;
}

/** The trials that changed since a version, for a page's live updates. */
export interface TrialChanges {
  version: number;
  trials: TableRow[];
  /** More changed than one answer carries: reload the views. */
  truncated: boolean;
}

/**
 * The dashboard's read model: each experiment's trials as columns in memory ({@link ColumnCache}:
 * read once in chunks, or ahead at start, then only what changed), and the bounded views the page draws from
 * them: downsampled series, a contour grid, a timeline, a sorted table window. Every answer is
 * bounded whatever the number of trials.
 */
export class DashboardService {
  private readonly cache: ColumnCache;

  constructor(
    private readonly store: ExperimentStore,
    private readonly experiments: ExperimentService,
    private readonly now: () => number = Date.now,
  ) {
    this.cache = new ColumnCache(store, now);
  }

  /** The columns of an experiment, loaded, and refreshed if older than the cache's refresh interval. */
  columns(id: number): Promise<ColumnEntry> {
    return this.cache.get(id);
  }

  /**
   * Reads the newest large experiments ahead in the background and draws their overview once, so
   * that the first visit of their page after the service starts finds them in memory (see
   * {@link ColumnCache.readAhead}); `warm` then runs for each (the context computes its parameter
   * importance). Nothing waits on it; {@link close} stops it.
   */
  readAhead(warm: (id: number) => Promise<unknown> = async () => undefined): Promise<void> {
    return this.cache.readAhead(async (id) => {
      this.series(await this.cache.get(id), DEFAULT_PLOT_POINTS);
      await this.curves(id);
      await warm(id);
    });
  }

  /** Stops reading ahead; the store may be closed once this resolves. */
  close(): Promise<void> {
    return this.cache.close();
  }

  /** A view derived from the columns, made again only when their version moved. */
  private memo<T>(entry: ColumnEntry, key: string, make: () => T, version = entry.columns.version): T {
    const hit = entry.memo.get(key);
    if (hit && hit.version === version) return hit.value as T;
    const value = make();
    entry.memo.delete(key);
    entry.memo.set(key, { version, value });
    if (entry.memo.size > MAX_MEMOS) entry.memo.delete(entry.memo.keys().next().value as string);
    return value;
  }

  /** The bounded series of the overview: they depend on the columns only, so one drawing serves every page until a trial changes. */
  private series(entry: ColumnEntry, maxPoints: number): { history: HistorySeries; sample: TrialSample; timeline: Timeline } {
    const c = entry.columns;
    const direction = entry.record.spec.objective.direction;
    return this.memo(entry, `series|${maxPoints}`, () => ({
      history: historySeries(c, direction, maxPoints),
      sample: trialSample(c, direction, maxPoints),
      timeline: timelineOf(c, DEFAULT_TIMELINE_TRIALS, this.now()),
    }));
  }

  /** The complete trials with a value, from the columns (what parameter importance reads). */
  async completeTrials(id: number): Promise<{ params: Params; value: number }[]> {
    const { columns: c } = await this.columns(id);
    const out: { params: Params; value: number }[] = [];
    for (let i = 0; i < c.size; i++) if (c.states[i] === COMPLETE && Number.isFinite(c.values[i])) out.push({ params: c.paramsAt(i), value: c.values[i] });
    return out;
  }

  /** The summary and the bounded series of the experiment page. */
  async overview(id: number, maxPoints = DEFAULT_PLOT_POINTS): Promise<ExperimentOverview> {
    const [entry, experiment] = await Promise.all([this.columns(id), this.experiments.get(id)]);
    const { columns: c, record } = entry;
    const now = this.now();
    const { history, sample, timeline } = this.series(entry, maxPoints);
    return {
      experiment,
      version: c.version,
      computeSec: c.computeSec(now),
      params: Object.entries(record.spec.space).map(([name, spec]) => ({
        name,
        type: spec.type,
        ...(spec.type === 'categorical' ? { values: spec.values } : { low: spec.low, high: spec.high, log: Boolean(spec.log) }),
        conditional: spec.when !== undefined,
      })),
      history,
      sample,
      timeline: { ...timeline, now },
    };
  }

  /** Trials changed after `since` (a version from an earlier answer), at most {@link MAX_CHANGES}. */
  async changes(id: number, since: number): Promise<TrialChanges> {
    const { columns: c } = await this.columns(id);
    const rows: number[] = [];
    for (let i = 0; i < c.size && rows.length <= MAX_CHANGES; i++) if (c.versions[i] > since) rows.push(i);
    const truncated = rows.length > MAX_CHANGES;
    return { version: c.version, trials: truncated ? [] : tableRows(c, Int32Array.from(rows), 0, rows.length, this.now()), truncated };
  }

  /** A window of the trial table, filtered and sorted on the server (the page shows only what is in view). */
  async table(id: number, q: TableQuery): Promise<TablePage> {
    const entry = await this.columns(id);
    const c = entry.columns;
    if (!isSortKey(c, q.sort)) throw new BadRequestError([{ path: 'query.sort', message: `must be one of ${sortKeys(c).join(', ')}` }]);
    // Durations of running trials grow: that order is recomputed on every change of version only, which is what a page sees anyway.
    const order = this.memo(entry, `table|${q.state ?? ''}|${q.sort}|${q.order}`, () => tableOrder(c, q, this.now()));
    return { total: order.length, offset: q.offset, rows: tableRows(c, order, q.offset, q.limit, this.now()), version: c.version };
  }

  /** Every trial as CSV (number, state, value, duration, failure, then one column per parameter). */
  async csv(id: number): Promise<string> {
    const { columns: c } = await this.columns(id);
    const quote = (v: unknown) => {
      const s = v === null || v === undefined ? '' : String(v);
      return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    };
    const lines = [['number', 'state', 'value', 'duration_sec', 'failure', ...c.names].map(quote).join(',')];
    const order = Int32Array.from({ length: c.size }, (_, i) => i);
    for (let from = 0; from < c.size; from += 1000)
      for (const r of tableRows(c, order, from, 1000, this.now()))
        lines.push([r.number, r.state, r.value, r.durationSec, r.failure, ...c.names.map((n) => r.params[n])].map(quote).join(','));
    return lines.join('\n') + '\n';
  }

  /** The best value per cell of a grid over two parameters. */
  async contour(id: number, x: string, y: string, bins = DEFAULT_CONTOUR_BINS): Promise<Contour> {
    const entry = await this.columns(id);
    const { columns: c, record } = entry;
    for (const [path, name] of [
      ['query.x', x],
      ['query.y', y],
    ])
      if (!c.names.includes(name)) throw new BadRequestError([{ path, message: `must be a parameter of the experiment: ${c.names.join(', ')}` }]);
    return this.memo(entry, `contour|${x}|${y}|${bins}`, () => contourOf(c, x, y, record.spec.objective.direction, bins));
  }

  /** The experiments list of the dashboard, newest first: each with its trial counts, best trial, budget and compute time (a few indexed queries each). */
  async experimentList(limit: number): Promise<{ items: (ExperimentView & { computeSec: number })[]; total: number }> {
    const { items, total } = await this.experiments.list({ limit, offset: 0 });
    const rows = await Promise.all(
      items.map(async (e) => {
        // An experiment whose columns are in memory sums them (a loop over an array) instead of every one of its rows again.
        const loaded = this.cache.peek(e.id);
        const [view, ms] = await Promise.all([
          this.experiments.get(e.id),
          loaded ? loaded.columns.computeSec(this.now()) * 1000 : this.store.queries.computeMs(e.id, this.now()),
        ]);
        return { ...view, computeSec: Number((ms / 1000).toFixed(3)) };
      }),
    );
    return { items: rows, total };
  }

  /** The files of a trial's artifact folder, with sizes and checksums. */
  async trialFiles(id: number, number: number): Promise<{ files: ArtifactFile[]; truncated: boolean }> {
    const trial = await this.store.queries.byNumber(id, number);
    if (!trial) throw new NotFoundError(`experiment ${id} has no trial ${number}`);
    return artifactFiles(trial.artifactDir);
  }

  /** Intermediate curves of the objective metric: the best complete trials and the latest pruned ones, each curve at most `maxSteps` points. */
  async curves(id: number, limit = 50, maxSteps = 200): Promise<Curves> {
    const entry = await this.columns(id);
    const key = `curves|${limit}|${maxSteps}`;
    const version = entry.columns.version;
    const hit = entry.memo.get(key);
    if (hit?.version === version) return hit.value as Curves;
    const value = await this.readCurves(entry, limit, maxSteps);
    // Only trials that are final are drawn, so the curves change only when the set chosen does: with the version.
    this.memo(entry, key, () => value, version);
    return value;
  }

  private async readCurves({ columns: c, record }: ColumnEntry, limit: number, maxSteps: number): Promise<Curves> {
    const metric = record.spec.objective.metric;
    const sign = record.spec.objective.direction === 'minimize' ? 1 : -1;
    const complete: number[] = [],
      pruned: number[] = [];
    for (let i = 0; i < c.size; i++) {
      if (c.states[i] === COMPLETE && Number.isFinite(c.values[i])) complete.push(i);
      if (c.states[i] === STATE_CODES.indexOf('PRUNED')) pruned.push(i);
    }
    complete.sort((a, b) => sign * (c.values[a] - c.values[b]));
    const chosen = [...complete.slice(0, limit), ...pruned.slice(-limit)];
    const curves = await Promise.all(
      chosen.map(async (i) => {
        const points = (await this.store.trials.curve(c.ids[i])).filter((p) => p.name === metric).map((p) => [p.step, p.value] as [number, number]);
        const stride = Math.max(1, Math.ceil(points.length / maxSteps));
        const kept = points.filter((_, k) => k % stride === 0 || k === points.length - 1);
        return { number: i + 1, state: c.stateAt(i), points: kept };
      }),
    );
    return { metric, total: complete.length + pruned.length, shown: curves.length, curves };
  }
}
