import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Piscina from 'piscina';
import { findSampler } from '../../search/samplers/registry';
import { Params } from '../../search/space/space.types';
import { runSuggestTask, SuggestTask } from './suggest-task';

function suggestWorkerFile(): string | undefined {
  const beside = join(__dirname, 'suggest.worker.js');
  if (existsSync(beside)) return beside;
  const compiled = resolve(__dirname, '../../../dist/src/trials/scheduler/suggest.worker.js');
  return existsSync(compiled) ? compiled : undefined;
}

let shared: Piscina | undefined;

/** One thread shared by every experiment of the process for costly samplers; started on first use. */
function suggestionPool(): Piscina | undefined {
  if (shared) return shared;
  const filename = suggestWorkerFile();
  if (!filename) return undefined;
  // The thread starts with the pool (threads piscina adds later never run under Jest's module sandbox).
  shared = new Piscina({ filename, minThreads: 1, maxThreads: 1 });
  shared.on('error', (error: Error) => process.emitWarning(`suggestion worker error: ${error.message}`));
  return shared;
}

/**
 * Spaces with more parameters than this are searched in the suggestion thread whatever the
 * sampler: even a cheap sampler's work grows with the space (TPE fits a density per parameter), and
 * a space may have up to `CONFIG_LIMITS.parameters`.
 */
export const INLINE_SUGGEST_PARAMETERS = 64;

/**
 * Asks the experiment's sampler for suggestions: on the main thread for cheap samplers over small
 * spaces, in a worker thread for costly ones (a GP fit over hundreds of points) and large spaces, so
 * requests keep being served. The result is the same either way.
 */
export async function suggestParams(task: SuggestTask): Promise<Params[]> {
  const offThread = findSampler(task.algorithm)?.costly || Object.keys(task.space).length > INLINE_SUGGEST_PARAMETERS;
  const pool = offThread ? suggestionPool() : undefined;
  if (!pool) return runSuggestTask(task);
  return pool.run(task);
}

/** Stops the suggestion thread (process shutdown, tests). */
export async function closeSuggestionPool(): Promise<void> {
  const pool = shared;
  shared = undefined;
  await pool?.destroy();
}
