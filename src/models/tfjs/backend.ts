import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';

/** Which backend to use: `auto` tries native, then wasm, then cpu; the others force one. */
export type BackendPreference = 'auto' | 'native' | 'wasm' | 'cpu';

/** Environment variable that forces a backend choice (`auto` | `native` | `wasm` | `cpu`). */
export const BACKEND_ENV_VAR = 'HPO_TFJS_BACKEND';

/** Backend preference used when the environment says nothing. */
export const DEFAULT_BACKEND_PREFERENCE: BackendPreference = 'auto';

const PREFERENCES: readonly BackendPreference[] = ['auto', 'native', 'wasm', 'cpu'];

// Optional native bindings, best first; each registers the backend named `tensorflow` when loaded.
const NATIVE_PACKAGES = [
  { pkg: '@tensorflow/tfjs-node-gpu', recordedAs: 'tensorflow-gpu' },
  { pkg: '@tensorflow/tfjs-node', recordedAs: 'tensorflow' },
] as const;

/** Reads {@link BACKEND_ENV_VAR}; an unknown value is an error rather than a silent fallback. */
export function readBackendPreference(env: NodeJS.ProcessEnv = process.env): BackendPreference {
  const raw = (env[BACKEND_ENV_VAR] ?? '').trim().toLowerCase();
  if (raw === '') return DEFAULT_BACKEND_PREFERENCE;
  if (!PREFERENCES.includes(raw as BackendPreference)) {
    throw new Error(`${BACKEND_ENV_VAR}=${raw}: expected one of ${PREFERENCES.join(', ')}`);
  }
  return raw as BackendPreference;
}

function resolves(pkg: string): boolean {
  try {
    require.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether a tfjs trial in this process would load a native TensorFlow binding
 * (`@tensorflow/tfjs-node-gpu` or `@tensorflow/tfjs-node` is installed and {@link BACKEND_ENV_VAR}
 * does not force `wasm` or `cpu`). It only resolves package paths and never loads the binding, so
 * it is safe to call on the main thread.
 *
 * The worker pool caps tfjs trials to one worker thread per process when this is true: the native
 * addon is not context-aware and does not load in more than one worker thread of a process (the
 * second load fails with "Module did not self-register"; tfjs issues #8388 and #2079). With wasm or
 * cpu every worker thread has its own backend instance and any number of threads is fine.
 */
export function nativeBackendAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
  let preference: BackendPreference;
  try {
    preference = readBackendPreference(env);
  } catch {
    preference = DEFAULT_BACKEND_PREFERENCE;
  }
  if (preference === 'wasm' || preference === 'cpu') return false;
  return NATIVE_PACKAGES.some(({ pkg }) => resolves(pkg));
}

async function tryNative(): Promise<string | undefined> {
  for (const { pkg, recordedAs } of NATIVE_PACKAGES) {
    if (!resolves(pkg)) continue;
    try {
      // A variable module name keeps TypeScript and bundlers from requiring the optional package.
      const load: (id: string) => unknown = require;
      load(pkg);
      if (await tf.setBackend('tensorflow')) return recordedAs;
    } catch {
      // Installed but unloadable (missing libtensorflow, second worker thread): try the next one.
    }
  }
  return undefined;
}

/** The folder holding the wasm backend's `.wasm` files: its own package's `dist/`. */
export function wasmDistFolder(): string {
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep;
}

async function tryWasm(): Promise<string | undefined> {
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // An explicit path: the default is resolved relative to the running script, which is wrong in
    // worker threads and bundles.
    wasm.setWasmPaths(wasmDistFolder());
    return (await tf.setBackend('wasm')) ? 'wasm' : undefined;
  } catch {
    return undefined;
  }
}

async function select(preference: BackendPreference): Promise<string> {
  const order: Array<() => Promise<string | undefined>> = {
    auto: [tryNative, tryWasm, async () => ((await tf.setBackend('cpu')) ? 'cpu' : undefined)],
    native: [tryNative],
    wasm: [tryWasm],
    cpu: [async () => ((await tf.setBackend('cpu')) ? 'cpu' : undefined)],
  }[preference];
  for (const attempt of order) {
    const name = await attempt();
    if (name) {
      await tf.ready();
      return name;
    }
  }
  throw new Error(`no TensorFlow.js backend could be initialised for ${BACKEND_ENV_VAR}=${preference}`);
}

let selected: Promise<string> | undefined;

/**
 * Chooses and initialises the TensorFlow.js backend of this thread, once: later calls return the
 * same promise whatever preference they pass (a thread's tensors and models live on one backend).
 * Resolves to the name recorded with a trial: `tensorflow-gpu`, `tensorflow`, `wasm` or `cpu`.
 */
export function initTfjsBackend(preference: BackendPreference = readBackendPreference()): Promise<string> {
  if (!selected) {
    selected = select(preference);
    // A failed choice may be retried (for example with another preference).
    selected.catch(() => {
      selected = undefined;
    });
  }
  return selected;
}
