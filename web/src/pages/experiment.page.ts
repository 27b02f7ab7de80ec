import { api } from '../api';
import { sampledNote } from '../charts';
import { h, duration, num, showError, stateBadge } from '../dom';
import { finishedCount } from '../types';
import { virtualTable } from '../virtual-table';
import { chart, drawContour, drawCurves, drawHistory, drawParallel, drawSlice, drawTimeline, Overview } from './experiment-charts';

/** How often the page asks what changed (and so redraws at most): new trials show within two seconds. */
const POLL_MS = 1000;

const card = (title: string, ...children: (Node | string)[]) => h('div', { class: 'card' }, h('h2', {}, title), ...children);
const select = (name: string, options: string[], value?: string) =>
  h('select', { name }, ...options.map((o) => h('option', { value: o, selected: o === value ? true : undefined }, o)));

/** One experiment: summary, every plot, importance, timeline and the trial table; live while it runs. */
export async function experimentPage(root: HTMLElement, [idText]: string[]) {
  const id = Number(idText);
  let o = await api<Overview>(`/api/experiments/${id}/overview`);
  const names = o.params.map((p) => p.name);
  const summary = h('div', { class: 'summary', id: 'summary' });
  const live = h('div', { class: 'note', id: 'live' });
  const drawSummary = () => {
    const e = o.experiment;
    const done = finishedCount(e);
    summary.replaceChildren(
      h('div', {}, 'state', h('b', {}, stateBadge(e.state))),
      h('div', {}, 'trials', h('b', { id: 'trial-count' }, `${done} / ${e.spec.budget.maxTrials}`)),
      h('div', {}, 'running', h('b', {}, e.trialCounts.RUNNING ?? 0)),
      h('div', {}, `best ${e.objective.metric}`, h('b', {}, e.bestTrial ? `${num(e.bestTrial.value)} (#${e.bestTrial.number})` : '–')),
      h('div', {}, 'elapsed', h('b', {}, duration(e.elapsedMs / 1000))),
      h('div', {}, 'compute', h('b', {}, duration(o.computeSec))),
      h('div', {}, 'algorithm', h('b', {}, e.algorithm)),
      h('div', {}, 'dataset', h('b', {}, e.dataset ?? '–')),
      e.warmStartFrom === undefined
        ? ''
        : h('div', { id: 'warm-start' }, 'warm start from', h('b', {}, h('a', { href: `#/experiments/${e.warmStartFrom}` }, `experiment ${e.warmStartFrom}`))),
    );
  };
  const logToggle = h('input', { type: 'checkbox', name: 'log' });
  const historyNote = h('div', { class: 'note', id: 'history-note' });
  const sampleNote = h('div', { class: 'note', id: 'sample-note' });
  const historyEl = h('div', { class: 'chart', id: 'history-chart' });
  const parallelEl = h('div', { class: 'chart', id: 'parallel-chart' });
  const importanceEl = h('div', { class: 'chart', id: 'importance-chart' });
  const sliceEl = h('div', { class: 'chart', id: 'slice-chart' });
  const contourEl = h('div', { class: 'chart', id: 'contour-chart' });
  const curvesEl = h('div', { class: 'chart', id: 'curves-chart' });
  const timelineEl = h('div', { class: 'chart', id: 'timeline-chart' });
  const method = select('method', ['ped-anova', 'fanova']);
  const sliceParam = select('slice', names);
  const contourX = select('contour-x', names, names[0]);
  const contourY = select('contour-y', names, names[1] ?? names[0]);
  const table = virtualTable(id, names);
  root.append(
    h('h1', {}, `Experiment ${o.experiment.id}: ${o.experiment.name}`),
    summary,
    live,
    h(
      'div',
      { class: 'grid' },
      card('Optimisation history', h('label', {}, logToggle, ' log scale'), historyNote, historyEl),
      card('Parallel coordinates', h('span', { class: 'note' }, 'drag along an axis to brush'), sampleNote, parallelEl),
      card('Parameter importance', method, importanceEl),
      card('Slice', sliceParam, sliceEl),
      card('Contour', contourX, ' × ', contourY, contourEl),
      card('Intermediate values', curvesEl),
    ),
    h('div', { style: 'margin-top:12px' }, card('Timeline by worker and slot', timelineEl)),
    h('div', { style: 'margin-top:12px' }, card('Trials', table.element)),
  );
  const charts = {
    history: chart(historyEl),
    parallel: chart(parallelEl),
    importance: chart(importanceEl),
    slice: chart(sliceEl),
    contour: chart(contourEl),
    curves: chart(curvesEl),
    timeline: chart(timelineEl),
  };
  const importanceData = () =>
    api<{ trials: number; params: { name: string; importance: number }[] }>(`/api/experiments/${id}/importance?method=${method.value}`);
  const drawImportance = async (data = importanceData()) => {
    const r = await data;
    const rows = [...r.params].reverse();
    charts.importance.setOption(
      {
        title: { subtext: `${method.value} over ${r.trials} complete trials`, top: -10 },
        grid: { left: 110, right: 30, top: 40, bottom: 30 },
        xAxis: { type: 'value', max: 1 },
        yAxis: { type: 'category', data: rows.map((p) => p.name) },
        series: [{ type: 'bar', data: rows.map((p) => Number(p.importance.toFixed(4))), label: { show: true, position: 'right' } }],
        animation: false,
      },
      { notMerge: true },
    );
  };
  const drawContourNow = async () => {
    if (contourX.value === contourY.value) return;
    drawContour(
      charts.contour,
      await api(`/api/experiments/${id}/contour?x=${encodeURIComponent(contourX.value)}&y=${encodeURIComponent(contourY.value)}`),
      o.experiment.objective.direction,
    );
  };
  const drawAll = async () => {
    // The panels with requests of their own are asked for first: the service answers them while the page draws the rest.
    const panels = [
      drawImportance(),
      drawContourNow(),
      api(`/api/experiments/${id}/curves`).then((c) => drawCurves(charts.curves, c as never)),
      table.refresh(),
    ];
    drawSummary();
    historyNote.textContent = sampledNote(o.history);
    sampleNote.textContent = sampledNote(o.sample);
    drawHistory(charts.history, o, logToggle.checked);
    // Let the history be painted before the other plots are drawn: the rest runs in a task after the
    // next frame, not inside it (a hidden page gets no frames: the longer timer goes on).
    await new Promise<void>((resolve) => {
      requestAnimationFrame(() => setTimeout(resolve, 0));
      setTimeout(resolve, 100);
    });
    drawParallel(charts.parallel, o);
    if (names.length) drawSlice(charts.slice, o, sliceParam.value);
    drawTimeline(charts.timeline, o.timeline);
    await Promise.all(panels);
  };
  logToggle.addEventListener('change', () => drawHistory(charts.history, o, logToggle.checked));
  method.addEventListener('change', () => void drawImportance());
  sliceParam.addEventListener('change', () => drawSlice(charts.slice, o, sliceParam.value));
  contourX.addEventListener('change', () => void drawContourNow());
  contourY.addEventListener('change', () => void drawContourNow());
  await drawAll();

  // Live: ask only for what changed since the version drawn; redraw the bounded views when something did.
  let version = o.version;
  let stopped = false;
  let busy = false;
  const poll = async () => {
    if (busy || stopped) return;
    busy = true;
    try {
      const changes = await api<{ version: number; trials: { number: number; state: string; value: number | null }[]; truncated: boolean }>(
        `/api/experiments/${id}/changes?since=${version}`,
      );
      if (changes.version !== version) {
        version = changes.version;
        const latest = changes.trials.slice(-5).map((t) => `#${t.number} ${t.state}${t.value === null ? '' : ` ${num(t.value)}`}`);
        if (latest.length) live.textContent = `live: ${changes.trials.length} trials changed; latest ${latest.join(', ')}`;
        o = await api<Overview>(`/api/experiments/${id}/overview`);
        await drawAll();
      }
    } catch (error) {
      live.replaceChildren();
      showError(live, error);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void poll(), POLL_MS);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
