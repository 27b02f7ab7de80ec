import { api } from '../api';
import { chart } from '../charts';
import { h, num, stateBadge } from '../dom';

interface TrialDetail {
  number: number;
  state: string;
  params: Record<string, unknown>;
  metrics: Record<string, number> | null;
  value: number | null;
  error: string | null;
  failure: string | null;
  attempt: number;
  retryNumber: number;
  retried: boolean;
  enqueued: boolean;
  repeatOf: number | null;
  backend: string | null;
  lastStep: number | null;
  curve: Record<string, { step: number; value: number }[]>;
  chain: { number: number; state: string; failure: string | null; repeatReason: string | null }[];
}

const kv = (rows: [string, unknown][]) =>
  h('table', {}, h('tbody', {}, ...rows.map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', {}, v instanceof Node ? v : num(v))))));

/** One trial: parameters, final and intermediate metrics, error, retries, backend, artifact files. */
export async function trialPage(root: HTMLElement, [idText, numberText]: string[]) {
  const [t, files] = await Promise.all([
    api<TrialDetail>(`/api/experiments/${idText}/trials/${numberText}`),
    api<{ files: { path: string; bytes: number; sha256: string }[]; truncated: boolean }>(`/api/experiments/${idText}/trials/${numberText}/files`),
  ]);
  const curveEl = h('div', { class: 'chart', id: 'trial-curve' });
  root.append(
    h('p', {}, h('a', { href: `#/experiments/${idText}` }, `← experiment ${idText}`)),
    h('h1', {}, `Trial ${t.number} `, stateBadge(t.state)),
    h(
      'div',
      { class: 'grid' },
      h('div', { class: 'card' }, h('h2', {}, 'Parameters'), kv(Object.entries(t.params))),
      h(
        'div',
        { class: 'card', id: 'final-metrics' },
        h('h2', {}, 'Final metrics'),
        t.metrics ? kv(Object.entries(t.metrics)) : h('p', { class: 'note' }, 'none'),
      ),
      h(
        'div',
        { class: 'card' },
        h('h2', {}, 'Run'),
        kv([
          ['parameters from', h('span', { id: 'trial-origin' }, t.enqueued ? 'queued by a user (enqueue)' : 'the sampler')],
          ['attempt', t.attempt],
          ['retry number', t.retryNumber],
          ['retried', String(t.retried)],
          ['repeats trial', t.repeatOf],
          ['backend', t.backend ?? '–'],
          ['last step', t.lastStep],
          ['failure', t.failure ?? '–'],
        ]),
        t.error ? h('pre', { class: 'error', id: 'trial-error' }, t.error) : '',
        t.chain.length > 1
          ? h('p', {}, 'chain: ', ...t.chain.map((c) => h('a', { href: `#/experiments/${idText}/trials/${c.number}` }, `#${c.number} ${c.state} `)))
          : '',
      ),
      h(
        'div',
        { class: 'card' },
        h('h2', {}, 'Artifact files'),
        files.files.length
          ? h(
              'table',
              { id: 'trial-files' },
              h('thead', {}, h('tr', {}, h('th', {}, 'file'), h('th', {}, 'bytes'), h('th', {}, 'SHA-256'))),
              h(
                'tbody',
                {},
                ...files.files.map((f) =>
                  h('tr', {}, h('td', {}, f.path), h('td', {}, f.bytes.toLocaleString()), h('td', { title: f.sha256 }, f.sha256.slice(0, 16) + '…')),
                ),
              ),
            )
          : h('p', { class: 'note' }, 'no files'),
      ),
    ),
    h('div', { class: 'card', style: 'margin-top:12px' }, h('h2', {}, 'Intermediate metrics'), curveEl),
  );
  chart(curveEl).setOption({
    tooltip: { trigger: 'axis' },
    legend: {},
    grid: { left: 60, right: 20, top: 40, bottom: 40 },
    xAxis: { type: 'value', name: 'step' },
    yAxis: { type: 'value', scale: true },
    series: Object.entries(t.curve).map(([name, points]) => ({ name, type: 'line', data: points.map((p) => [p.step, p.value]) })),
    animation: false,
  });
}
