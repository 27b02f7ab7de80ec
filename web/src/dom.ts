type Child = Node | string | number | null | undefined | false;

/** Creates an element with attributes (`on*` functions become listeners) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, unknown> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v as EventListener);
    else if (k === 'class') el.className = String(v);
    else if (k === 'style') el.setAttribute('style', String(v));
    else if (k in el && typeof v !== 'string') (el as unknown as Record<string, unknown>)[k] = v;
    else el.setAttribute(k, String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

/** A number with at most 6 significant digits, or a dash. */
export function num(v: unknown): string {
  if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) return '–';
  if (typeof v !== 'number') return String(v);
  return Math.abs(v) >= 1e6 || (Math.abs(v) < 1e-4 && v !== 0) ? v.toExponential(3) : String(Number(v.toPrecision(6)));
}

/** A duration in seconds as `1h 2m`, `3m 4s` or `5.6s`. */
export function duration(sec: number | null | undefined): string {
  if (sec === null || sec === undefined || !Number.isFinite(sec)) return '–';
  if (sec < 60) return `${sec.toFixed(1)}s`;
  const m = Math.floor(sec / 60);
  if (m < 60) return `${m}m ${Math.round(sec % 60)}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

export const stateBadge = (state: string) => h('span', { class: `state ${state}` }, state);

/** A confirmation dialog; resolves true on OK. */
export function confirmDialog(message: string, ok = 'Confirm'): Promise<boolean> {
  return new Promise((resolve) => {
    const modal = h('div', { class: 'modal' });
    const form = h(
      'form',
      { 'data-confirm': '' },
      h('p', {}, message),
      h('div', {}, h('button', { type: 'submit' }, ok), ' ', h('button', { type: 'button', onclick: () => (modal.remove(), resolve(false)) }, 'Cancel')),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      modal.remove();
      resolve(true);
    });
    modal.append(form);
    document.body.append(modal);
  });
}

/** Shows an error in a container. */
export function showError(container: HTMLElement, error: unknown): void {
  container.append(h('p', { class: 'error' }, (error as Error)?.message ?? String(error)));
}
