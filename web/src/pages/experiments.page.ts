import { api } from '../api';
import { confirmDialog, duration, h, num, showError, stateBadge } from '../dom';
import { ExperimentSummary, finishedCount as finished } from '../types';

type ExperimentRow = ExperimentSummary & { computeSec: number };

type SortKey = 'id' | 'name' | 'state' | 'progress' | 'best' | 'elapsed';

/** The experiments list: state, progress, best, times, algorithm, dataset; filter, sort, cancel, resume, budget. */
export async function experimentsPage(root: HTMLElement) {
  let rows: ExperimentRow[] = [];
  let sort: SortKey = 'id';
  let asc = false;
  const stateFilter = h(
    'select',
    { name: 'state' },
    ...['', 'RUNNING', 'COMPLETE', 'CANCELLED', 'FAILED'].map((s) => h('option', { value: s }, s || 'any state')),
  );
  const nameFilter = h('input', { name: 'filter', placeholder: 'filter by name or algorithm' });
  const body = h('tbody');
  const message = h('div');
  const keyOf = (e: ExperimentRow): number | string => {
    if (sort === 'progress') return finished(e) / (e.spec.budget.maxTrials ?? 1);
    if (sort === 'best') return e.bestTrial?.value ?? Number.POSITIVE_INFINITY;
    if (sort === 'elapsed') return e.elapsedMs;
    return e[sort];
  };
  const act = async (what: () => Promise<unknown>) => {
    message.replaceChildren();
    try {
      await what();
      await load();
    } catch (error) {
      showError(message, error);
    }
  };
  const actions = (e: ExperimentRow) =>
    h(
      'td',
      {},
      e.state === 'RUNNING'
        ? h(
            'button',
            {
              onclick: () =>
                act(
                  async () => (await confirmDialog(`Cancel experiment ${e.name}?`, 'Cancel it')) && api(`/api/experiments/${e.id}/cancel`, { method: 'POST' }),
                ),
            },
            'Cancel',
          )
        : h('button', { onclick: () => act(() => api(`/api/experiments/${e.id}/resume`, { method: 'POST', body: {} })) }, 'Resume'),
      ' ',
      h(
        'button',
        {
          onclick: () =>
            act(async () => {
              const answer = prompt(`New total trial budget for ${e.name}`, String(e.spec.budget.maxTrials ?? ''));
              if (!answer) return;
              const maxTrials = Number(answer);
              if (e.state === 'RUNNING') await api(`/api/experiments/${e.id}`, { method: 'PATCH', body: { maxTrials } });
              else await api(`/api/experiments/${e.id}/resume`, { method: 'POST', body: { maxTrials } });
            }),
        },
        'Budget…',
      ),
    );
  const draw = () => {
    const text = nameFilter.value.toLowerCase();
    const shown = rows
      .filter((e) => !stateFilter.value || e.state === stateFilter.value)
      .filter((e) => !text || e.name.toLowerCase().includes(text) || e.algorithm.includes(text))
      .sort((a, b) => {
        const ka = keyOf(a),
          kb = keyOf(b);
        return (ka < kb ? -1 : ka > kb ? 1 : 0) * (asc ? 1 : -1);
      });
    body.replaceChildren(
      ...shown.map((e) =>
        h(
          'tr',
          { 'data-experiment': e.id },
          h('td', {}, e.id),
          h('td', {}, h('a', { href: `#/experiments/${e.id}` }, e.name)),
          h('td', {}, stateBadge(e.state)),
          h('td', {}, `${finished(e)} / ${e.spec.budget.maxTrials ?? '?'}`, (e.trialCounts.RUNNING ?? 0) > 0 ? ` (${e.trialCounts!.RUNNING} running)` : ''),
          h('td', {}, e.bestTrial ? `${num(e.bestTrial.value)} (#${e.bestTrial.number})` : '–'),
          h('td', {}, `${e.objective.metric} ${e.objective.direction === 'minimize' ? '↓' : '↑'}`),
          h('td', {}, duration(e.elapsedMs / 1000)),
          h('td', {}, duration(e.computeSec)),
          h('td', {}, e.algorithm),
          h('td', {}, e.dataset ?? '–'),
          actions(e),
        ),
      ),
    );
    if (!shown.length) body.append(h('tr', {}, h('td', { colspan: 11 }, 'No experiments yet: submit one with hpo run or POST /api/experiments.')));
  };
  const header = (label: string, key?: SortKey) =>
    h(
      'th',
      {
        class: key ? `sortable${sort === key ? ` sorted${asc ? ' asc' : ''}` : ''}` : '',
        onclick: key
          ? (ev: Event) => {
              asc = sort === key ? !asc : key === 'name';
              sort = key;
              (ev.currentTarget as HTMLElement).parentElement!.querySelectorAll('th').forEach((th) => th.classList.remove('sorted', 'asc'));
              (ev.currentTarget as HTMLElement).classList.add('sorted', ...(asc ? ['asc'] : []));
              draw();
            }
          : undefined,
      },
      label,
    );
  const load = async () => {
    rows = (await api<{ items: ExperimentRow[] }>('/api/dashboard/experiments?limit=200')).items;
    draw();
  };
  stateFilter.addEventListener('change', draw);
  nameFilter.addEventListener('input', draw);
  root.append(
    h('h1', {}, 'Experiments'),
    h('div', { class: 'toolbar' }, stateFilter, nameFilter),
    message,
    h(
      'table',
      { id: 'experiments' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          header('id', 'id'),
          header('name', 'name'),
          header('state', 'state'),
          header('progress', 'progress'),
          header('best', 'best'),
          header('objective'),
          header('elapsed', 'elapsed'),
          header('compute'),
          header('algorithm'),
          header('dataset'),
          header(''),
        ),
      ),
      body,
    ),
  );
  await load();
  const timer = setInterval(() => void load().catch(() => undefined), 2000);
  return () => clearInterval(timer);
}
