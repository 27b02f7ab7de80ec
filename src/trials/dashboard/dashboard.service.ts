import { BadRequestError, NotFoundError } from '../../domain/errors';
import { Params } from '../../search/space/space.types';
import { ExperimentService } from '../experiment.service';
import { ExperimentStore } from '../ports/experiment-store.port';
import { ExperimentRecord } from '../trial.types';
import { ExperimentView } from '../views';
import { ArtifactFile, artifactFiles } from './artifact-files';
import { Contour, contourOf, DEFAULT_CONTOUR_BINS } from './contour.view';
import { HistorySeries, historySeries, TrialSample, trialSample } from './series.views';
import { Timeline, timelineOf, DEFAULT_TIMELINE_TRIALS } from './timeline.view';
import { STATE_CODES, TrialColumns } from './trial-columns';
import { isSortKey, sortKeys, TablePage, TableQuery, TableRow, tableOrder, tableRows } from './trial-table.view';

const COMPLETE = STATE_CODES.indexOf('COMPLETE');

/** Points a plot gets unless asked: about the pixels of a wide plot. */
export const DEFAULT_PLOT_POINTS = 2_000;
/** How often one experiment's columns are refreshed from the store at most, however many pages poll. */
export const REFRESH_MS = 300;
/** How far back a refresh looks for trials finished by other processes, whose clocks may lag this one's. */
export const CLOCK_MARGIN_MS = 5_000;
/** Experiments whose columns are kept in memory (least recently used go first). */
export const MAX_CACHED_EXPERIMENTS = 8;
/** The most changed trials one `changes` answer carries; past it the page reloads its views. */
export const MAX_CHANGES = 2_000;

interface Entry {
  columns: TrialColumns;
  record: ExperimentRecord;
  refreshedAt: number;
  finishedSince: number;
  refreshing?: Promise<void>;
  orders: Map<string, { version: number; order: Int32Array }>;
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
 * The dashboard's read model: each experiment's trials as columns in memory, kept fresh with
 * `changedSince` (only what changed is read again), and the bounded views the page draws from
 * them: downsampled series, a contour grid, a timeline, a sorted table window. Every answer is
 * bounded whatever the number of trials.
 */
export class DashboardService {
  private readonly cache = new Map<number, Entry>();

  constructor(
    private readonly store: ExperimentStore,
    private readonly experiments: ExperimentService,
    private readonly now: () => number = Date.now,
  ) {}

  /** The columns of an experiment, refreshed if they are older than {@link REFRESH_MS}. */
  async columns(id: number): Promise<Entry> {
    let entry = this.cache.get(id);
    if (!entry) {
      const record = await this.store.experiments.get(id);
      if (!record) throw new NotFoundError(`experiment ${id} not found`);
      entry = { columns: new TrialColumns(record.spec.space, this.now()), record, refreshedAt: 0, finishedSince: 0, orders: new Map() };
      this.cache.set(id, entry);
      if (this.cache.size > MAX_CACHED_EXPERIMENTS) this.cache.delete(this.cache.keys().next().value as number);
    } else {
      this.cache.delete(id);
      this.cache.set(id, entry);
    }
    if (this.now() - entry.refreshedAt >= REFRESH_MS) {
      const e = entry;
      e.refreshing ??= this.refresh(id, e).finally(() => (e.refreshing = undefined));
      await e.refreshing;
    }
    return entry;
  }

  private async refresh(id: number, entry: Entry): Promise<void> {
    const startedAt = this.now();
    const [record, changed] = await Promise.all([this.store.experiments.get(id), this.store.queries.changedSince(id, entry.columns.size, entry.finishedSince)]);
    if (record) entry.record = record;
    entry.columns.apply(changed);
    entry.refreshedAt = this.now();
    entry.finishedSince = startedAt - CLOCK_MARGIN_MS;
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
    const direction = record.spec.objective.direction;
    const now = this.now();
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
      history: historySeries(c, direction, maxPoints),
      sample: trialSample(c, direction, maxPoints),
      timeline: timelineOf(c, DEFAULT_TIMELINE_TRIALS, now),
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
    const key = `${q.state ?? ''}|${q.sort}|${q.order}`;
    let cached = entry.orders.get(key);
    // Durations of running trials grow: that order is recomputed on every change of version only, which is what a page sees anyway.
    if (!cached || cached.version !== c.version) {
      cached = { version: c.version, order: tableOrder(c, q, this.now()) };
      entry.orders.set(key, cached);
      if (entry.orders.size > 16) entry.orders.delete(entry.orders.keys().next().value as string);
    }
    return { total: cached.order.length, offset: q.offset, rows: tableRows(c, cached.order, q.offset, q.limit, this.now()), version: c.version };
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
    const { columns: c, record } = await this.columns(id);
    for (const [path, name] of [
      ['query.x', x],
      ['query.y', y],
    ])
      if (!c.names.includes(name)) throw new BadRequestError([{ path, message: `must be a parameter of the experiment: ${c.names.join(', ')}` }]);
    return contourOf(c, x, y, record.spec.objective.direction, bins);
  }

  /** The experiments list of the dashboard, newest first: each with its trial counts, best trial, budget and compute time (a few indexed queries each). */
  async experimentList(limit: number): Promise<{ items: (ExperimentView & { computeSec: number })[]; total: number }> {
    const { items, total } = await this.experiments.list({ limit, offset: 0 });
    const rows = await Promise.all(
      items.map(async (e) => {
        const [view, ms] = await Promise.all([this.experiments.get(e.id), this.store.queries.computeMs(e.id, this.now())]);
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
  async curves(id: number, limit = 50, maxSteps = 200) {
    const { columns: c, record } = await this.columns(id);
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
