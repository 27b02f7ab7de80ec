import { chart, Chart, sampledNote } from '../charts';
import { ExperimentSummary } from '../types';

export interface ParamMeta {
  name: string;
  type: string;
  values?: unknown[];
  low?: number;
  high?: number;
  log?: boolean;
  conditional: boolean;
}

export interface Overview {
  experiment: ExperimentSummary;
  version: number;
  computeSec: number;
  params: ParamMeta[];
  history: { total: number; shown: number; downsampled: boolean; points: [number, number, number][]; best: [number, number][] };
  sample: { total: number; shown: number; downsampled: boolean; numbers: number[]; values: number[]; params: Record<string, (number | null)[]> };
  timeline: {
    bars: { number: number; state: string; worker: string; kind: 'pool' | 'fleet'; lane: number; start: number; end: number | null }[];
    total: number;
    now: number;
  };
}

const STATE_COLOURS: Record<string, string> = { COMPLETE: '#2f7d4a', PRUNED: '#d19a00', FAILED: '#b3261e', RUNNING: '#2f6fd1', WAITING: '#888' };

/** Optimisation history: every trial (or each bucket's extremes) and the best so far; `log` for a log axis. */
export function drawHistory(c: Chart, o: Overview, log: boolean): void {
  const complete = o.history.points.filter((p) => p[2] === 2);
  const pruned = o.history.points.filter((p) => p[2] === 3);
  const positive = o.history.points.every((p) => p[1] > 0);
  c.setOption(
    {
      title: { subtext: log && !positive ? 'log scale needs positive values' : '', top: -10 },
      tooltip: { trigger: 'item' },
      legend: { data: ['complete', 'pruned', 'best so far'], right: 0 },
      grid: { left: 60, right: 20, top: 40, bottom: 50 },
      xAxis: { type: 'value', name: 'trial', min: 'dataMin' },
      yAxis: { type: log && positive ? 'log' : 'value', name: o.experiment.objective.metric, scale: true },
      dataZoom: [{ type: 'inside' }, { type: 'slider', height: 16, bottom: 8 }],
      series: [
        { name: 'complete', type: 'scatter', symbolSize: 4, large: true, data: complete, itemStyle: { color: '#4a78c2' } },
        { name: 'pruned', type: 'scatter', symbolSize: 4, large: true, data: pruned, itemStyle: { color: STATE_COLOURS.PRUNED } },
        { name: 'best so far', type: 'line', step: 'end', showSymbol: false, data: o.history.best, lineStyle: { color: '#b3261e' } },
      ],
      animation: false,
    },
    { notMerge: true },
  );
}

/** Parallel coordinates over the sample, coloured by the objective; axes are brushable. */
export function drawParallel(c: Chart, o: Overview): void {
  const dims = [...o.params.map((p) => p.name), o.experiment.objective.metric];
  const axes = dims.map((name, dim) => {
    const p = o.params[dim];
    if (p?.type === 'categorical') return { dim, name, type: 'category', data: p.values!.map(String) };
    return { dim, name, type: p?.log ? 'log' : 'value', scale: true };
  });
  const data = o.sample.numbers.map((_, i) => [...o.params.map((p) => o.sample.params[p.name][i] ?? null), o.sample.values[i]]);
  const values = o.sample.values;
  c.setOption(
    {
      parallelAxis: axes,
      parallel: { left: 50, right: 80, top: 40, bottom: 30 },
      visualMap: {
        type: 'continuous',
        dimension: dims.length - 1,
        min: values.length ? Math.min(...values) : 0,
        max: values.length ? Math.max(...values) : 1,
        inRange: { color: o.experiment.objective.direction === 'minimize' ? ['#1a9850', '#fee08b', '#d73027'] : ['#d73027', '#fee08b', '#1a9850'] },
        right: 0,
        top: 40,
        itemHeight: 120,
      },
      series: [{ type: 'parallel', lineStyle: { width: 1, opacity: 0.4 }, data, progressive: 2000, inactiveOpacity: 0.02, activeOpacity: 0.8 }],
      animation: false,
    },
    { notMerge: true },
  );
}

/** One parameter against the objective. */
export function drawSlice(c: Chart, o: Overview, name: string): void {
  const p = o.params.find((x) => x.name === name)!;
  const xs = o.sample.params[name] ?? [];
  const data = xs.map((x, i) => [x, o.sample.values[i]]).filter((d) => d[0] !== null);
  c.setOption(
    {
      title: { subtext: sampledNote(o.sample), top: -10 },
      tooltip: {},
      grid: { left: 60, right: 20, top: 40, bottom: 40 },
      xAxis: p.type === 'categorical' ? { type: 'category', data: p.values!.map(String), name } : { type: p.log ? 'log' : 'value', name, scale: true },
      yAxis: { type: 'value', name: o.experiment.objective.metric, scale: true },
      series: [{ type: 'scatter', symbolSize: 5, large: true, data, itemStyle: { color: '#4a78c2', opacity: 0.6 } }],
      animation: false,
    },
    { notMerge: true },
  );
}

/** The best value per cell of two parameters, as a heat map. */
export function drawContour(
  c: Chart,
  contour: { x: { name: string; labels: unknown[] }; y: { name: string; labels: unknown[] }; cells: number[][]; trials: number },
  direction: string,
): void {
  const values = contour.cells.map((cell) => cell[2]);
  c.setOption(
    {
      title: { subtext: `best value per cell, ${contour.trials.toLocaleString()} trials`, top: -10 },
      tooltip: {},
      grid: { left: 70, right: 80, top: 40, bottom: 40 },
      xAxis: { type: 'category', data: contour.x.labels.map(String), name: contour.x.name },
      yAxis: { type: 'category', data: contour.y.labels.map(String), name: contour.y.name },
      visualMap: {
        min: values.length ? Math.min(...values) : 0,
        max: values.length ? Math.max(...values) : 1,
        right: 0,
        top: 40,
        itemHeight: 120,
        inRange: { color: direction === 'minimize' ? ['#1a9850', '#fee08b', '#d73027'] : ['#d73027', '#fee08b', '#1a9850'] },
      },
      series: [{ type: 'heatmap', data: contour.cells.map((cell) => [cell[0], cell[1], cell[2]]) }],
      animation: false,
    },
    { notMerge: true },
  );
}

/** Intermediate curves; pruned trials dashed and marked at their last step. */
export function drawCurves(
  c: Chart,
  curves: { metric: string; total: number; shown: number; curves: { number: number; state: string; points: number[][] }[] },
): void {
  c.setOption(
    {
      title: { subtext: `${curves.shown} of ${curves.total} trials: the best complete and the latest pruned`, top: -10 },
      tooltip: { trigger: 'item' },
      grid: { left: 60, right: 20, top: 40, bottom: 40 },
      xAxis: { type: 'value', name: 'step' },
      yAxis: { type: 'value', name: curves.metric, scale: true },
      series: curves.curves.map((t) => ({
        name: `#${t.number} ${t.state}`,
        type: 'line',
        data: t.points,
        showSymbol: false,
        lineStyle: { width: 1, type: t.state === 'PRUNED' ? 'dashed' : 'solid', color: t.state === 'PRUNED' ? STATE_COLOURS.PRUNED : '#4a78c2' },
        markPoint:
          t.state === 'PRUNED' && t.points.length ? { symbol: 'pin', symbolSize: 18, data: [{ coord: t.points[t.points.length - 1], value: '✕' }] } : undefined,
      })),
      animation: false,
    },
    { notMerge: true },
  );
}

/** Trials by worker and slot over time, running ones up to now. */
export function drawTimeline(c: Chart, t: Overview['timeline']): void {
  // A scheduler process's id is a UUID: its first 8 characters name it; a fleet worker's name is shown up to 20 characters.
  const short = (name: string, max: number) => (name.length > max ? `${name.slice(0, max)}…` : name);
  const label = (b: Overview['timeline']['bars'][number]) =>
    b.kind === 'fleet'
      ? `worker ${short(b.worker, 20)} · slot ${b.lane + 1}`
      : `service ${short(b.worker, b.worker.length > 16 ? 8 : 16)} · slot ${b.lane + 1}`;
  const lanes = [...new Set(t.bars.map(label))].sort();
  const running = t.bars.filter((b) => b.end === null).length;
  const data = t.bars.map((b) => ({
    value: [lanes.indexOf(label(b)), b.start, b.end ?? t.now, b.number],
    itemStyle: { color: STATE_COLOURS[b.state] ?? '#888' },
    state: b.state,
  }));
  c.setOption(
    {
      title: { subtext: `${t.bars.length} of ${t.total} trials (the latest, and every running one: ${running} now)`, top: -10 },
      tooltip: {
        formatter: (p: { value: number[]; data: { state: string } }) => `#${p.value[3]} ${p.data.state}: ${((p.value[2] - p.value[1]) / 1000).toFixed(1)}s`,
      },
      grid: { left: 210, right: 20, top: 40, bottom: 50 },
      xAxis: { type: 'time' },
      yAxis: { type: 'category', data: lanes },
      dataZoom: [{ type: 'inside' }, { type: 'slider', height: 16, bottom: 8 }],
      series: [
        {
          type: 'custom',
          renderItem: (_: unknown, api: { value(i: number): number; coord(v: number[]): number[]; size(v: number[]): number[]; style(): object }) => {
            const start = api.coord([api.value(1), api.value(0)]);
            const end = api.coord([api.value(2), api.value(0)]);
            const height = api.size([0, 1])[1] * 0.6;
            return { type: 'rect', shape: { x: start[0], y: start[1] - height / 2, width: Math.max(1, end[0] - start[0]), height }, style: api.style() };
          },
          encode: { x: [1, 2], y: 0 },
          data,
        },
      ],
      animation: false,
    },
    { notMerge: true },
  );
}

export { chart };
