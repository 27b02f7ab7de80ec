import { api } from '../api';
import { confirmDialog, h, num, showError } from '../dom';

interface ModelSummary {
  name: string;
  versionCount: number;
  latestVersion: number | null;
  aliases: Record<string, number>;
}

interface Version {
  version: number;
  experimentId: number;
  trialNumber: number;
  metrics: Record<string, number>;
  objective: { metric: string; value: number };
  archived: boolean;
  quantization: Record<string, unknown> | null;
  files: { path: string; bytes: number }[];
  createdAt: string;
}

/** Registered models with their versions and aliases. */
export async function modelsPage(root: HTMLElement) {
  const models = await api<ModelSummary[]>('/api/models');
  root.append(
    h('h1', {}, 'Models'),
    h(
      'table',
      { id: 'models' },
      h('thead', {}, h('tr', {}, ...['model', 'versions', 'latest', 'aliases'].map((x) => h('th', {}, x)))),
      h(
        'tbody',
        {},
        ...models.map((m) =>
          h(
            'tr',
            {},
            h('td', {}, h('a', { href: `#/models/${encodeURIComponent(m.name)}` }, m.name)),
            h('td', {}, m.versionCount),
            h('td', {}, m.latestVersion ?? '–'),
            h(
              'td',
              {},
              Object.entries(m.aliases)
                .map(([a, v]) => `${a} → ${v}`)
                .join(', ') || '–',
            ),
          ),
        ),
        models.length ? null : h('tr', {}, h('td', { colspan: 4 }, 'No models registered yet.')),
      ),
    ),
  );
}

/** One model: versions with source trial, metrics and quantized variants; aliases, moved with a confirmation. */
export async function modelPage(root: HTMLElement, [name]: string[]) {
  const message = h('div', { id: 'model-message' });
  const body = h('div');
  root.append(h('p', {}, h('a', { href: '#/models' }, '← models')), h('h1', {}, name), message, body);
  const load = async () => {
    const m = await api<{ versions: Version[]; aliases: { alias: string; version: number; updatedAt: string }[] }>(`/api/models/${encodeURIComponent(name)}`);
    const versions = m.versions.map((v) => v.version);
    body.replaceChildren(
      h(
        'div',
        { class: 'card' },
        h('h2', {}, 'Aliases'),
        h(
          'table',
          { id: 'aliases' },
          h('thead', {}, h('tr', {}, ...['alias', 'version', 'since', 'move to'].map((x) => h('th', {}, x)))),
          h(
            'tbody',
            {},
            ...m.aliases.map((a) => {
              const target = h(
                'select',
                { name: `alias-${a.alias}` },
                ...versions.map((v) => h('option', { value: String(v), selected: v === a.version ? true : undefined }, `version ${v}`)),
              );
              const move = async () => {
                const to = Number(target.value);
                if (to === a.version) return;
                const word = to < a.version ? 'Roll back' : 'Move';
                if (
                  !(await confirmDialog(
                    `${word} alias ${a.alias} of ${name} from version ${a.version} to version ${to}? Predictions by this alias switch at once.`,
                    word,
                  ))
                )
                  return;
                try {
                  await api(`/api/models/${encodeURIComponent(name)}/aliases/${encodeURIComponent(a.alias)}`, { method: 'PUT', body: { version: to } });
                  message.replaceChildren(h('p', {}, `alias ${a.alias} now points at version ${to}`));
                  await load();
                } catch (error) {
                  showError(message, error);
                }
              };
              return h(
                'tr',
                { 'data-alias': a.alias },
                h('td', {}, a.alias),
                h('td', {}, a.version),
                h('td', {}, a.updatedAt),
                h('td', {}, target, ' ', h('button', { onclick: move }, 'Move')),
              );
            }),
          ),
        ),
      ),
      h(
        'div',
        { class: 'card', style: 'margin-top:12px' },
        h('h2', {}, 'Versions'),
        h(
          'table',
          { id: 'versions' },
          h('thead', {}, h('tr', {}, ...['version', 'source', 'objective', 'metrics', 'quantized', 'files', 'created', ''].map((x) => h('th', {}, x)))),
          h(
            'tbody',
            {},
            ...m.versions.map((v) =>
              h(
                'tr',
                {},
                h('td', {}, v.version),
                h(
                  'td',
                  {},
                  h('a', { href: `#/experiments/${v.experimentId}/trials/${v.trialNumber}` }, `experiment ${v.experimentId}, trial ${v.trialNumber}`),
                ),
                h('td', {}, `${v.objective.metric} ${num(v.objective.value)}`),
                h(
                  'td',
                  {},
                  Object.entries(v.metrics)
                    .map(([k, x]) => `${k} ${num(x)}`)
                    .join(', '),
                ),
                h('td', {}, v.quantization ? JSON.stringify(v.quantization) : '–'),
                h('td', {}, `${v.files.length} (${v.files.reduce((s, f) => s + f.bytes, 0).toLocaleString()} bytes)`),
                h('td', {}, v.createdAt),
                h('td', {}, v.archived ? 'archived' : ''),
              ),
            ),
          ),
        ),
      ),
    );
  };
  await load();
}
