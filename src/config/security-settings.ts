import { SettingsError } from '../domain/errors';
import { numberSetting } from './setting-values';

/** Requests a minute one key (or, without keys, one client address) may make, unless `HPO_RATE_LIMIT_PER_MIN` says otherwise (0: no limit). */
export const DEFAULT_RATE_LIMIT_PER_MIN = 6_000;
/** Experiments one key may have RUNNING at once (`HPO_MAX_RUNNING_PER_KEY`). */
export const DEFAULT_MAX_RUNNING_PER_KEY = 20;
/** Largest `budget.maxTrials` the service accepts (`HPO_MAX_TRIALS`); the schema's own limit is higher. */
export const DEFAULT_SERVICE_MAX_TRIALS = 1_000_000;
/** Largest `budget.parallelism` the service accepts (`HPO_MAX_PARALLELISM`). */
export const DEFAULT_SERVICE_MAX_PARALLELISM = 256;
/** Seconds a request may take before the service answers 503 (`HPO_REQUEST_TIMEOUT_SEC`). */
export const DEFAULT_REQUEST_TIMEOUT_SEC = 30;

/** What the front door enforces: who may reach it, from where, how often, and how much. */
export interface SecuritySettings {
  /** Start without keys on a non-loopback address (`--insecure-no-auth`): open to anyone who reaches the port. */
  insecureNoAuth: boolean;
  /** Host header names accepted besides the loopback ones and the listen address (`HPO_ALLOWED_HOSTS`, comma-separated; `*` any). */
  allowedHosts: string[];
  /** Origins allowed cross-origin requests (`HPO_CORS_ORIGINS`, comma-separated); none means CORS is off. */
  corsOrigins: string[];
  rateLimitPerMin: number;
  maxRunningPerKey: number;
  maxTrials: number;
  maxParallelism: number;
  requestTimeoutSec: number;
}

function list(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  // Digits only: Number() would also read 0x10 or 1e3 as integers.
  return numberSetting(name, text, (n) => /^\s*\d+\s*$/.test(text) && Number.isSafeInteger(n) && n >= min, `an integer >= ${min}`);
}

/**
 * Reads `HPO_ALLOWED_HOSTS`, `HPO_CORS_ORIGINS`, `HPO_RATE_LIMIT_PER_MIN`, `HPO_MAX_RUNNING_PER_KEY`,
 * `HPO_MAX_TRIALS`, `HPO_MAX_PARALLELISM`, `HPO_REQUEST_TIMEOUT_SEC`; a value that cannot be used is
 * a SettingsError naming it.
 */
export function readSecuritySettings(given: Partial<SecuritySettings> = {}, env: NodeJS.ProcessEnv = process.env): SecuritySettings {
  const corsOrigins = given.corsOrigins ?? list(env.HPO_CORS_ORIGINS);
  for (const origin of corsOrigins)
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) throw new SettingsError(`HPO_CORS_ORIGINS: ${origin} is not an origin (scheme://host[:port], no path)`);
  return {
    insecureNoAuth: given.insecureNoAuth ?? false,
    allowedHosts: given.allowedHosts ?? list(env.HPO_ALLOWED_HOSTS),
    corsOrigins,
    rateLimitPerMin: given.rateLimitPerMin ?? int(env, 'HPO_RATE_LIMIT_PER_MIN', DEFAULT_RATE_LIMIT_PER_MIN, 0),
    maxRunningPerKey: given.maxRunningPerKey ?? int(env, 'HPO_MAX_RUNNING_PER_KEY', DEFAULT_MAX_RUNNING_PER_KEY, 1),
    maxTrials: given.maxTrials ?? int(env, 'HPO_MAX_TRIALS', DEFAULT_SERVICE_MAX_TRIALS, 1),
    maxParallelism: given.maxParallelism ?? int(env, 'HPO_MAX_PARALLELISM', DEFAULT_SERVICE_MAX_PARALLELISM, 1),
    requestTimeoutSec: given.requestTimeoutSec ?? int(env, 'HPO_REQUEST_TIMEOUT_SEC', DEFAULT_REQUEST_TIMEOUT_SEC, 1),
  };
}
