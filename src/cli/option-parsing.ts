import { BadRequestError } from '../domain/errors';

/** Rows of a leaderboard the CLI prints unless `--limit` says otherwise, and the most it will. */
export const LEADERBOARD_ROWS = { fallback: 10, max: 1000 } as const;

/**
 * A whole-number option such as `--limit 20`: the fallback when absent, else an integer in
 * [min, max], or a message naming the flag.
 */
export function integerOption(value: string | undefined, flag: string, fallback: number, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  return optionalInteger(value, flag, min, max) ?? fallback;
}

/**
 * A whole-number option that has no default: undefined when absent. Commander hands options over
 * as strings, and `Number('abc')` would otherwise travel on as NaN.
 */
export function optionalInteger(value: string | undefined, flag: string, min = 1, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new BadRequestError([{ path: flag, message: `must be an integer from ${min} to ${max}, got "${value}"` }]);
  }
  return n;
}

/** `--limit` of a command that prints a leaderboard. */
export function leaderboardLimit(value: string | undefined): number {
  return integerOption(value, '--limit', LEADERBOARD_ROWS.fallback, 1, LEADERBOARD_ROWS.max);
}

/** A number option above zero, such as `--trial-timeout-sec 2.5`, at most `max`; a message naming the flag otherwise. */
export function positiveNumber(value: string, flag: string, max = Number.MAX_VALUE): number {
  const n = /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
  if (!(n > 0 && n <= max)) throw new BadRequestError([{ path: flag, message: `must be a number above 0 and at most ${max}, got "${value}"` }]);
  return n;
}
