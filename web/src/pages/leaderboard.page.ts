import { api } from '../api';
import { chart } from '../charts';
import { h, num, showError } from '../dom';
import { Overview } from './experiment-charts';

interface Row {
  rank: number;
  experimentId: number;
  experimentName?: string;
  value: number;
  trial: { number: number; params: Record<string, unknown> };
}

/** Across experiments: the global leaderboard by a metric, and the history of chosen experiments side by side. */
export async function leaderboardPage(root: HTMLElement, _args: string[], query: URLSearchParams) {
  const experiments = (await api<{ items: { id: number; name: string; objective: { metric: string } }[] }>('/api/experiments?limit=200')).items;
  const metric = h('input', { name: 'metric', value: query.get('metric') ?? experiments[0]?.objective.metric ?? '', placeholder: 'metric' });
  const board = h('div', { id: 'global-leaderboard' });
  const loadBoard = async () => {
    board.replaceChildren();
    if (!metric.value) return;
    try {
      const r = await api<{ metric: string; direction: string; rows: Row[] }>(`/api/leaderboard?metric=${encodeURIComponent(metric.value)}&limit=20`);
      board.append(
        h('p', { class: 'note' }, `by ${r.metric} (${r.direction})`),
        h(
          'table',
          {},
          h('thead', {}, h('tr', {}, ...['rank', 'experiment', 'trial', r.metric, 'params'].map((x) => h('th', {}, x)))),
          h(
            'tbody',
            {},
            ...r.rows.map((row) =>
              h(
                'tr',
                {},
                h('td', {}, row.rank),
                h('td', {}, h('a', { href: `#/experiments/${row.experimentId}` }, `${row.experimentId} ${row.experimentName ?? ''}`)),
                h('td', {}, h('a', { href: `#/experiments/${row.experimentId}/trials/${row.trial.number}` }, row.trial.number)),
                h('td', {}, num(row.value)),
                h('td', {}, JSON.stringify(row.trial.params)),
              ),
            ),
          ),
        ),
      );
    } catch (error) {
      showError(board, error);
    }
  };
  metric.addEventListener('change', () => void loadBoard());
  const picks = h(
    'div',
    { class: 'toolbar', id: 'compare-picks' },
    ...experiments.slice(0, 50).map((e) => h('label', {}, h('input', { type: 'checkbox', value: String(e.id), name: 'compare' }), ` ${e.id} ${e.name}`)),
  );
  const compareEl = h('div', { class: 'chart', id: 'compare-chart' });
  root.append(
    h('h1', {}, 'Across experiments'),
    h('div', { class: 'card' }, h('h2', {}, 'Global leaderboard'), h('div', { class: 'toolbar' }, 'metric ', metric), board),
    h('div', { class: 'card', style: 'margin-top:12px' }, h('h2', {}, 'Compare histories (best so far)'), picks, compareEl),
  );
  const compare = chart(compareEl);
  const drawCompare = async () => {
    const ids = [...picks.querySelectorAll<HTMLInputElement>('input:checked')].map((i) => i.value);
    const overviews = await Promise.all(ids.map((id) => api<Overview>(`/api/experiments/${id}/overview?points=500`)));
    compare.setOption(
      {
        tooltip: { trigger: 'axis' },
        legend: {},
        grid: { left: 60, right: 20, top: 40, bottom: 40 },
        xAxis: { type: 'value', name: 'trial' },
        yAxis: { type: 'value', scale: true },
        series: overviews.map((o) => ({ name: `${o.experiment.id} ${o.experiment.name}`, type: 'line', step: 'end', showSymbol: false, data: o.history.best })),
        animation: false,
      },
      { notMerge: true },
    );
  };
  picks.addEventListener('change', () => void drawCompare());
  const preset = query.get('compare')?.split(',') ?? experiments.slice(0, 2).map((e) => String(e.id));
  picks.querySelectorAll<HTMLInputElement>('input').forEach((i) => (i.checked = preset.includes(i.value)));
  await Promise.all([loadBoard(), drawCompare()]);
}
