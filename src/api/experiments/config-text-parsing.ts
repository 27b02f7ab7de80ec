import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { parseConfigText } from '../../config/config-loader';
import { ConfigSyntaxError, Problem } from '../../domain/errors';

/**
 * YAML texts up to this size are parsed on the main thread; larger ones in a thread of their own.
 * The `yaml` package reads about 1 MB a second here (bench/limits), so a text past this would hold
 * every other request for more than a few milliseconds.
 */
export const INLINE_YAML_BYTES = 8 * 1024;

/** YAML texts parsed off the main thread at once; more wait their turn, so large bodies cannot start a thread each. */
export const MAX_YAML_THREADS = 2;

/**
 * The compiled config loader a parsing thread requires (beside this file in dist/, or dist/ itself
 * under Jest); undefined when there is none, and large texts are then parsed on the main thread.
 */
export function compiledLoader(): string | undefined {
  const beside = join(__dirname, '../../config/config-loader.js');
  if (existsSync(beside)) return beside;
  const compiled = resolve(__dirname, '../../../dist/src/config/config-loader.js');
  return existsSync(compiled) ? compiled : undefined;
}

// The thread parses and posts back the value or the problems; anything else it throws is a problem at the source.
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { parseConfigText } = require(workerData.loader);
try {
  parentPort.postMessage({ value: parseConfigText(workerData.text, workerData.source) });
} catch (error) {
  parentPort.postMessage({ problems: error && Array.isArray(error.problems) ? error.problems : [{ path: workerData.source, message: 'could not be parsed' }] });
}
`;

let running = 0;
const waiting: (() => void)[] = [];

async function turn<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_YAML_THREADS) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function parseInThread(loader: string, text: string, source: string): Promise<unknown> {
  return new Promise((resolvePromise, reject) => {
    const worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { loader, text, source } });
    worker.once('message', (reply: { value?: unknown; problems?: Problem[] }) => {
      void worker.terminate();
      if (reply.problems) reject(new ConfigSyntaxError(reply.problems));
      else resolvePromise(reply.value);
    });
    worker.once('error', () => reject(new ConfigSyntaxError([{ path: source, message: 'is nested too deeply or too large to parse' }])));
  });
}

/**
 * Parses config text as `parseConfigText` does, with the same errors, but keeps the main thread
 * free: a text past {@link INLINE_YAML_BYTES} is parsed in a worker thread (at most
 * {@link MAX_YAML_THREADS} at once).
 */
export async function parseConfigTextOffThread(text: string, source: string): Promise<unknown> {
  const loader = text.length > INLINE_YAML_BYTES ? compiledLoader() : undefined;
  if (!loader) return parseConfigText(text, source);
  return turn(() => parseInThread(loader, text, source));
}
