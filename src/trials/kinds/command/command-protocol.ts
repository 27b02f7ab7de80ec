import { RESERVED_KEYS } from '../../../config/schema/structure.rules';
import { Metrics } from '../../../models/metrics/metrics.types';
import { Params } from '../../../search/space/space.types';

/** Lines a command prints to report metrics start with this, followed by a JSON object. */
export const COMMAND_REPORT_PREFIX = 'hpo: ';

/** `HPO_PARAM_<NAME>`: upper case, other characters as `_`. */
export function paramEnvName(name: string): string {
  return `HPO_PARAM_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** A `{name}` placeholder in a command argument; the name is group 1. */
const PLACEHOLDER = /\{([A-Za-z0-9_-]+)\}/g;

/** The parameter names an argument's placeholders refer to, in order. */
export function placeholderNames(arg: string): string[] {
  return [...arg.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

/** Replaces `{name}` in each argument by the parameter's value; unknown names are left as they are. */
export function substituteArgs(args: readonly string[], params: Params): string[] {
  return args.map((a) => a.replace(PLACEHOLDER, (whole, name: string) => (params[name] === undefined ? whole : String(params[name]))));
}

/**
 * Parses one stdout line; undefined if it is not a report. A report is the prefix and a JSON object
 * whose every value is a finite number (`step` among them, when given); anything else (a list, a
 * string, a non-numeric field, a reserved name such as `__proto__`) is ordinary output, so a stray
 * line cannot invent metrics.
 */
export function parseReportLine(line: string): { step?: number; metrics: Metrics } | undefined {
  if (!line.startsWith(COMMAND_REPORT_PREFIX)) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(line.slice(COMMAND_REPORT_PREFIX.length));
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const entries = Object.entries(body);
  if (!entries.every(([k, v]) => typeof v === 'number' && Number.isFinite(v) && !RESERVED_KEYS.includes(k))) return undefined;
  const metrics: Metrics = {};
  let step: number | undefined;
  for (const [k, v] of entries as [string, number][]) {
    if (k === 'step') step = v;
    else metrics[k] = v;
  }
  return { step, metrics };
}
