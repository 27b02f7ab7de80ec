import { SettingsError } from '../domain/errors';

/** Most rows one predict request may carry unless `HPO_MAX_PREDICT_BATCH` says otherwise. */
export const DEFAULT_MAX_PREDICT_BATCH = 1024;
/** Most model versions kept loaded unless `HPO_MODEL_CACHE_SIZE` says otherwise. */
export const DEFAULT_MODEL_CACHE_SIZE = 8;
/** Most artifact bytes kept loaded unless `HPO_MODEL_CACHE_BYTES` says otherwise. */
export const DEFAULT_MODEL_CACHE_BYTES = 256 * 1024 * 1024;
/**
 * How long a resolved alias is trusted before it is read from the database again. Moves made
 * through this process take effect at once; moves made by another process (the CLI) within this.
 */
export const ALIAS_REFRESH_MS = 1_000;

/** Limits of the serving path, read once at start. */
export interface ServingSettings {
  maxBatch: number;
  cacheMaxModels: number;
  cacheMaxBytes: number;
  aliasRefreshMs: number;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) throw new SettingsError(`${name} must be a positive integer, got ${text}`);
  return n;
}

/** Reads `HPO_MAX_PREDICT_BATCH`, `HPO_MODEL_CACHE_SIZE` and `HPO_MODEL_CACHE_BYTES`, or the defaults. */
export function readServingSettings(env: NodeJS.ProcessEnv = process.env): ServingSettings {
  return {
    maxBatch: positiveInt(env, 'HPO_MAX_PREDICT_BATCH', DEFAULT_MAX_PREDICT_BATCH),
    cacheMaxModels: positiveInt(env, 'HPO_MODEL_CACHE_SIZE', DEFAULT_MODEL_CACHE_SIZE),
    cacheMaxBytes: positiveInt(env, 'HPO_MODEL_CACHE_BYTES', DEFAULT_MODEL_CACHE_BYTES),
    aliasRefreshMs: ALIAS_REFRESH_MS,
  };
}
