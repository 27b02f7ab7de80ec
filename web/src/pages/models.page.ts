import { api } from '../api';
import { confirmDialog, h, num, showError } from '../dom';

interface ModelSummary {
  name: string;
  versionCount: number;
  latestVersion: number | null;
  aliases: Record<string, number>;
}

// The registry's records of variants as REST sends them (the page imports nothing from the service's code).
/** A quantized version: its weights' size and its objective against the unquantized model. */
type Quantization = { dtype: string; metric: string } & Record<
  'sizeRatio' | 'weightBytes' | 'originalWeightBytes' | 'originalValue' | 'quantizedValue' | 'metricChange',
  number
>;
/** A pruned or distilled version, against the version it was made from. */
type Compression = {
  kind: 'prune' | 'distill';
  metric: string;
  settings: Record<string, unknown>;
  validation: Record<string, number>;
  test: Record<string, number> | null;
} & Record<
  'of' | 'gzipBytes' | 'baseGzipBytes' | 'sizeRatio' | 'zeroFraction' | 'latencyMs' | 'baseLatencyMs' | 'baseValue' | 'value' | 'metricChange',
  number
>;

interface Version {
  version: number;
  experimentId: number;
  trialNumber: number;
  metrics: Record<string, number>;
  objective: { metric: string; value: number };
  archived: boolean;
  quantization: Quantization | null;
  compression: Compression | null;
  testMetrics: Record<string, number> | null;
  files: { path: string; bytes: number }[];
  createdAt: string;
}

const metricList = (m: Record<string, number> | null | undefined) =>
  m && Object.keys(m).length
    ? Object.entries(m)
        .map(([k, x]) => `${k} ${num(x)}`)
        .join(', ')
    : '–';
const bytes = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(2)} MB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} B`);
const signed = (x: number) => `${x >= 0 ? '+' : ''}${num(x)}`;

/** What a version is: the trained model, a quantized one, or a pruned or distilled variant of another version. */
function kindOf(v: Version): string {
  if (v.compression) return `${v.compression.kind === 'prune' ? 'pruned' : 'distilled'} from v${v.compression.of}`;
  if (v.quantization) return `quantized ${v.quantization.dtype}`;
  return 'trained';
}

/** One row of the variants table: size, latency and metrics against what the variant was made from. */
function variantCells(v: Version): (string | number)[] {
  const q = v.quantization;
  const c = v.compression;
  if (c) {
    const what =
      c.kind === 'prune'
        ? `sparsity ${num(c.settings.sparsity)} (${(100 * c.zeroFraction).toFixed(0)} % zeros)`
        : `student ${JSON.stringify(c.settings.into ?? {})}`;
    return [
      `${c.kind === 'prune' ? 'pruned' : 'distilled'}: ${what}`,
      `v${c.of}`,
      `${bytes(c.gzipBytes)} of ${bytes(c.baseGzipBytes)} gzipped (×${num(c.sizeRatio)})`,
      `${num(c.latencyMs)} ms (was ${num(c.baseLatencyMs)} ms)`,
      `${c.metric} ${num(c.value)} (${signed(c.metricChange)} from ${num(c.baseValue)})`,
      metricList(c.validation),
      metricList(c.test ?? v.testMetrics),
    ];
  }
  return [
    `quantized ${q!.dtype}`,
    `trial ${v.trialNumber}`,
    `${bytes(q!.weightBytes)} of ${bytes(q!.originalWeightBytes)} of weights (×${num(q!.sizeRatio)})`,
    '–',
    `${q!.metric} ${num(q!.quantizedValue)} (${signed(q!.metricChange)} from ${num(q!.originalValue)})`,
    metricList(v.metrics),
    metricList(v.testMetrics),
  ];
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

/** One model: versions with source trial and metrics, its quantized and compressed variants, and aliases, moved with a confirmation. */
export async function modelPage(root: HTMLElement, [name]: string[]) {
  const message = h('div', { id: 'model-message' });
  const body = h('div');
  root.append(h('p', {}, h('a', { href: '#/models' }, '← models')), h('h1', {}, name), message, body);
  const load = async () => {
    const m = await api<{ versions: Version[]; aliases: { alias: string; version: number; updatedAt: string }[] }>(`/api/models/${encodeURIComponent(name)}`);
    const versions = m.versions.map((v) => v.version);
    /** Moves `alias` from the version it points at to `to`, once the user confirms. */
    const moveAlias = async (alias: string, from: number, to: number) => {
      if (to === from) return;
      const word = to < from ? 'Roll back' : 'Move';
      if (!(await confirmDialog(`${word} alias ${alias} of ${name} from version ${from} to version ${to}? Predictions by this alias switch at once.`, word)))
        return;
      try {
        await api(`/api/models/${encodeURIComponent(name)}/aliases/${encodeURIComponent(alias)}`, { method: 'PUT', body: { version: to } });
        message.replaceChildren(h('p', {}, `alias ${alias} now points at version ${to}`));
        await load();
      } catch (error) {
        showError(message, error);
      }
    };
    /** The aliases on a version, and a button per other alias to point it here. */
    const aliasCell = (v: Version) =>
      h(
        'td',
        { class: 'aliases' },
        ...m.aliases.filter((a) => a.version === v.version).map((a) => h('span', { class: 'alias' }, a.alias)),
        ...m.aliases
          .filter((a) => a.version !== v.version && !v.archived)
          .map((a) => h('button', { type: 'button', 'data-point': a.alias, onclick: () => moveAlias(a.alias, a.version, v.version) }, `${a.alias} here`)),
      );
    const variants = m.versions.filter((v) => v.quantization || v.compression);
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
              return h(
                'tr',
                { 'data-alias': a.alias },
                h('td', {}, a.alias),
                h('td', {}, a.version),
                h('td', {}, a.updatedAt),
                h('td', {}, target, ' ', h('button', { onclick: () => moveAlias(a.alias, a.version, Number(target.value)) }, 'Move')),
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
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ...['version', 'kind', 'source', 'objective', 'validation metrics', 'test metrics', 'files', 'created', 'aliases', ''].map((x) => h('th', {}, x)),
            ),
          ),
          h(
            'tbody',
            {},
            ...m.versions.map((v) =>
              h(
                'tr',
                { 'data-version': v.version },
                h('td', {}, v.version),
                h('td', {}, kindOf(v)),
                h(
                  'td',
                  {},
                  h('a', { href: `#/experiments/${v.experimentId}/trials/${v.trialNumber}` }, `experiment ${v.experimentId}, trial ${v.trialNumber}`),
                ),
                h('td', {}, `${v.objective.metric} ${num(v.objective.value)}`),
                h('td', { class: 'wrap' }, metricList(v.metrics)),
                h('td', { class: 'wrap' }, metricList(v.testMetrics)),
                h('td', {}, `${v.files.length} (${bytes(v.files.reduce((n, f) => n + f.bytes, 0))})`),
                h('td', {}, v.createdAt),
                aliasCell(v),
                h('td', {}, v.archived ? 'archived' : ''),
              ),
            ),
          ),
        ),
      ),
      h(
        'div',
        { class: 'card', style: 'margin-top:12px' },
        h('h2', {}, 'Quantized and compressed variants'),
        variants.length
          ? h(
              'table',
              { id: 'variants' },
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  ...['version', 'kind', 'made from', 'size', 'latency (one row)', 'objective', 'validation metrics', 'test metrics', 'aliases'].map((x) =>
                    h('th', {}, x),
                  ),
                ),
              ),
              h(
                'tbody',
                {},
                ...variants.map((v) =>
                  h('tr', { 'data-version': v.version }, h('td', {}, v.version), ...variantCells(v).map((x) => h('td', { class: 'wrap' }, x)), aliasCell(v)),
                ),
              ),
            )
          : h('p', { class: 'note' }, 'No variants: a registry section with quantize, prune or distill makes them at promotion.'),
      ),
    );
  };
  await load();
}
