import { BadRequestError } from '../trials/domain-errors';

/**
 * A whole-number option such as `--limit 20`: the fallback when absent, else an integer in
 * [min, max], or a message naming the flag. Commander hands options over as strings, and
 * `Number('abc')` would otherwise travel on as NaN.
 */
export function integerOption(value: string | undefined, flag: string, fallback: number, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  return requiredInteger(value, flag, min, max);
}

/** A whole-number option that has no default: undefined when absent. */
export function optionalInteger(value: string | undefined, flag: string, min = 1, max = Number.MAX_SAFE_INTEGER): number | undefined {
  return value === undefined ? undefined : requiredInteger(value, flag, min, max);
}

function requiredInteger(value: string, flag: string, min: number, max: number): number {
  const n = /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new BadRequestError([{ path: flag, message: `must be an integer from ${min} to ${max}, got "${value}"` }]);
  }
  return n;
}
