import { api, request } from './api';
import { h, num, duration } from './dom';

export interface TableRow {
  number: number;
  state: string;
  value: number | null;
  durationSec: number | null;
  failure: string | null;
  attempt: number;
  worker: string | null;
  params: Record<string, unknown>;
}

const ROW = 26;
const WINDOW = 80;

/**
 * The trial table: only the rows in view exist in the page; each window is asked of the server,
 * which filters and sorts all trials, so 100,000 rows scroll like 100.
 */
export function virtualTable(experimentId: number, paramNames: string[]) {
  let sort = 'number';
  let order: 'asc' | 'desc' = 'desc';
  let state = '';
  let total = 0;
  let pending = false;
  let generation = 0;
  const container = h('div', { class: 'vtable', id: 'trial-table' });
  const spacer = h('div', { class: 'spacer' });
  const columns: [string, string][] = [
    ['number', '#'],
    ['state', 'state'],
    ['value', 'value'],
    ['duration', 'duration'],
    ...paramNames.map((n) => [`param:${n}`, n] as [string, string]),
  ];
  const head = h(
    'div',
    { class: 'head' },
    ...columns.map(([key, label]) =>
      h(
        'div',
        {
          class: 'cell sortable',
          'data-sort': key,
          onclick: () => {
            order = sort === key && order === 'asc' ? 'desc' : 'asc';
            sort = key;
            void refresh(true);
          },
        },
        label,
      ),
    ),
  );
  container.append(head, spacer);
  const fetchWindow = async (reset: boolean) => {
    const first = Math.max(0, Math.floor(container.scrollTop / ROW) - 20);
    const mine = ++generation;
    const q = new URLSearchParams({ sort, order, offset: String(first), limit: String(WINDOW) });
    if (state) q.set('state', state);
    const page = await api<{ total: number; rows: TableRow[] }>(`/api/experiments/${experimentId}/table?${q}`);
    if (mine !== generation) return;
    total = page.total;
    container.dataset.total = String(total);
    spacer.style.height = `${total * ROW}px`;
    if (reset) container.scrollTop = 0;
    spacer.replaceChildren(
      ...page.rows.map((r, k) =>
        h(
          'div',
          { class: 'row', style: `top:${(first + k) * ROW}px`, 'data-number': r.number },
          h('div', { class: 'cell' }, h('a', { href: `#/experiments/${experimentId}/trials/${r.number}` }, r.number)),
          h('div', { class: 'cell' }, r.state + (r.failure ? ` (${r.failure})` : '')),
          h('div', { class: 'cell' }, num(r.value)),
          h('div', { class: 'cell' }, duration(r.durationSec)),
          ...paramNames.map((n) => h('div', { class: 'cell' }, num(r.params[n]))),
        ),
      ),
    );
  };
  const refresh = async (reset = false) => {
    if (pending) return;
    pending = true;
    try {
      await fetchWindow(reset);
    } finally {
      pending = false;
    }
  };
  container.addEventListener('scroll', () => requestAnimationFrame(() => void refresh()));
  const stateSelect = h(
    'select',
    {
      name: 'trial-state',
      onchange: (e: Event) => {
        state = (e.target as HTMLSelectElement).value;
        void refresh(true);
      },
    },
    ...['', 'RUNNING', 'COMPLETE', 'PRUNED', 'FAILED', 'WAITING'].map((s) => h('option', { value: s }, s || 'every state')),
  );
  const csv = h(
    'button',
    {
      onclick: async () => {
        const blob = await (await request(`/api/experiments/${experimentId}/trials.csv`)).blob();
        const a = h('a', { href: URL.createObjectURL(blob), download: `experiment-${experimentId}-trials.csv` });
        a.click();
        URL.revokeObjectURL(a.href);
      },
    },
    'Export CSV',
  );
  return {
    element: h('div', {}, h('div', { class: 'toolbar' }, stateSelect, csv, h('span', { class: 'note' }, 'click a heading to sort')), container),
    refresh,
  };
}
