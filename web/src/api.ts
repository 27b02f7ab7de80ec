// Every request of the page goes through here: the optional API key (kept in localStorage) rides
// along as `Authorization: Bearer`, and a 401 or 403 asks for a key once, then retries.
const KEY_STORAGE = 'hpo.apiKey';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const apiKey = (): string | null => localStorage.getItem(KEY_STORAGE);

export function setApiKey(key: string | null): void {
  if (key) localStorage.setItem(KEY_STORAGE, key);
  else localStorage.removeItem(KEY_STORAGE);
}

let prompting: Promise<boolean> | undefined;

/** Shows the "enter API key" prompt; resolves true once a key was saved. */
export function askForKey(reason: string): Promise<boolean> {
  prompting ??= new Promise<boolean>((resolve) => {
    const modal = document.createElement('div');
    modal.className = 'modal';
    modal.innerHTML = `<form id="key-form"><h2>Enter API key</h2><p class="note"></p>
      <input name="key" type="password" autocomplete="off" placeholder="API key" />
      <div><button type="submit">Save</button> <button type="button" data-cancel>Cancel</button></div></form>`;
    modal.querySelector('.note')!.textContent = reason;
    const form = modal.querySelector('form')!;
    const input = form.querySelector('input')!;
    input.value = apiKey() ?? '';
    const done = (saved: boolean) => {
      modal.remove();
      prompting = undefined;
      resolve(saved);
    };
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      setApiKey(input.value.trim() || null);
      done(true);
    });
    form.querySelector('[data-cancel]')!.addEventListener('click', () => done(false));
    document.body.append(modal);
    input.focus();
  });
  return prompting;
}

/** A request to the service with the key; JSON bodies are sent as `application/json`. */
export async function request(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<Response> {
  for (let tries = 0; ; tries++) {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const key = apiKey();
    if (key) headers.Authorization = `Bearer ${key}`;
    if (init.body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(path, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: init.signal,
    });
    if ((res.status === 401 || res.status === 403) && tries < 2) {
      const reason = res.status === 401 ? 'This service needs an API key.' : 'This key may not do that: enter another.';
      if (await askForKey(reason)) continue;
    }
    if (!res.ok) {
      let message = `${res.status} ${res.statusText}`;
      try {
        const body = await res.json();
        message = body.problems?.map((p: { path: string; message: string }) => `${p.path}: ${p.message}`).join('; ') || body.message || message;
      } catch {
        // not JSON: keep the status line
      }
      throw new ApiError(res.status, message);
    }
    return res;
  }
}

/** GET (or another method) and parse JSON. */
export async function api<T>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const res = await request(path, init);
  return (res.status === 204 ? undefined : await res.json()) as T;
}
