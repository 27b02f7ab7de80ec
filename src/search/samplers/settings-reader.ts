import { SettingProblem } from './sampler.types';

/** The rule for one setting of a sampler or pruner. */
export type SettingRule =
  | { type: 'number' | 'integer'; default: number; min?: number; max?: number; exclusiveMin?: boolean; description: string }
  | { type: 'string'; default: string; values: readonly string[]; description: string }
  | { type: 'boolean'; default: boolean; description: string };

/** Setting name → rule; one table per implementation, read by validation, docs and the OpenAPI schema. */
export type SettingRules = Record<string, SettingRule>;

/** The rule table of an algorithm that takes no settings. */
export const NO_SETTINGS: SettingRules = Object.freeze({});

function checkOne(name: string, rule: SettingRule, value: unknown): string | undefined {
  if (rule.type === 'boolean') return typeof value === 'boolean' ? undefined : 'must be true or false';
  if (rule.type === 'string') {
    return typeof value === 'string' && rule.values.includes(value) ? undefined : `must be one of ${rule.values.join(', ')}`;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
  if (rule.type === 'integer' && !Number.isInteger(value)) return 'must be an integer';
  if (rule.min !== undefined && (rule.exclusiveMin ? value <= rule.min : value < rule.min)) {
    return `must be ${rule.exclusiveMin ? '>' : '>='} ${rule.min}`;
  }
  if (rule.max !== undefined && value > rule.max) return `must be <= ${rule.max}`;
  void name;
  return undefined;
}

/**
 * Validates user settings against a rule table: unknown names and bad values are problems, missing
 * names take their defaults. Problem paths are full config paths under `prefix` (e.g. `search.settings`). Returns the completed settings and every problem found.
 */
export function readSettings<S>(rules: SettingRules, given: Record<string, unknown>, prefix: string): { settings: S; problems: SettingProblem[] } {
  const problems: SettingProblem[] = [];
  const settings: Record<string, unknown> = {};
  for (const name of Object.keys(given ?? {})) {
    if (!(name in rules)) problems.push({ path: `${prefix}.${name}`, message: `unknown setting (known: ${Object.keys(rules).join(', ') || 'none'})` });
  }
  for (const [name, rule] of Object.entries(rules)) {
    const value = given?.[name];
    if (value === undefined) {
      settings[name] = rule.default;
      continue;
    }
    const problem = checkOne(name, rule, value);
    if (problem) problems.push({ path: `${prefix}.${name}`, message: problem });
    settings[name] = value;
  }
  return { settings: settings as S, problems };
}
