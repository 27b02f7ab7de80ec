import type { Params } from '../../../search/space/space.types';

/** A numeric parameter: `params[name]`, else `fallback`; throws naming the parameter when it breaks `ok`. */
export function num(params: Params, name: string, fallback: number, ok: (v: number) => boolean, rule: string): number {
  const v = params[name] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) {
    throw new Error(`parameter ${name}: expected ${rule}, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** A named parameter among `allowed`: `params[name]`, else `fallback`. */
export function choice<T extends string>(params: Params, name: string, fallback: T, allowed: readonly T[]): T {
  const v = params[name] ?? fallback;
  if (!allowed.includes(v as T)) throw new Error(`parameter ${name}: expected one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
  return v as T;
}

/** Throws when `params` names a parameter the family does not have. */
export function refuseUnknown(family: string, params: Params, known: Readonly<Record<string, unknown>>): void {
  const unknown = Object.keys(params).filter((k) => !(k in known));
  if (unknown.length > 0) {
    throw new Error(`unknown parameter(s) of the ${family} model: ${unknown.join(', ')} (known: ${Object.keys(known).join(', ')})`);
  }
}

/** An integer rule for {@link num}. */
export const isInt = (v: number): boolean => Number.isInteger(v);
