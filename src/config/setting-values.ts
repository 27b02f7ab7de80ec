import { SettingsError } from '../domain/errors';

/**
 * A numeric setting (a flag's or an environment variable's text, or a number already): the number
 * when `ok` accepts it, else a SettingsError naming the setting and the `rule` it breaks.
 */
export function numberSetting(name: string, text: string | number, ok: (n: number) => boolean, rule: string): number {
  const n = Number(text);
  if (!ok(n)) throw new SettingsError(`${name} must be ${rule}, got ${text}`);
  return n;
}
