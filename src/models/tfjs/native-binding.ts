/**
 * Which TensorFlow.js backend a thread should use, and whether a native binding is installed, found
 * without importing TensorFlow.js (the main thread and module-trial workers never load it for this).
 */

/** Which backend to use: `auto` tries native, then wasm, then cpu; the others force one. */
export type BackendPreference = 'auto' | 'native' | 'wasm' | 'cpu';

/** Environment variable that forces a backend choice (`auto` | `native` | `wasm` | `cpu`). */
export const BACKEND_ENV_VAR = 'HPO_TFJS_BACKEND';

/** Backend preference used when the environment says nothing. */
export const DEFAULT_BACKEND_PREFERENCE: BackendPreference = 'auto';

const PREFERENCES: readonly BackendPreference[] = ['auto', 'native', 'wasm', 'cpu'];

/** Optional native bindings, best first; each registers the backend named `tensorflow` when loaded. */
export const NATIVE_PACKAGES = [
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

/** Whether a package can be resolved from here (without loading it). */
export function resolves(pkg: string): boolean {
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
