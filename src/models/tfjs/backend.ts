import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { BACKEND_ENV_VAR, BackendPreference, NATIVE_PACKAGES, readBackendPreference, resolves } from './native-binding';

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
