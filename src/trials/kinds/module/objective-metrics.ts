import { RESERVED_KEYS } from '../../../config/schema/structure.rules';
import { Metrics } from '../../../models/metrics/metrics.types';

/**
 * Turns what a user's objective returned into metrics: a number is the objective metric, an object
 * is a set of metrics. Throws a message that names what is wrong.
 */
export function metricsFromReturn(returned: unknown, objectiveMetric: string): Metrics {
  if (typeof returned === 'number') {
    if (!Number.isFinite(returned)) throw new Error(`objective returned ${returned}, not a finite number`);
    return { [objectiveMetric]: returned };
  }
  if (typeof returned !== 'object' || returned === null || Array.isArray(returned)) {
    throw new Error(`objective must return a number or an object of metrics, got ${returned === null ? 'null' : typeof returned}`);
  }
  const metrics: Metrics = {};
  for (const [name, value] of Object.entries(returned)) {
    if (RESERVED_KEYS.includes(name)) throw new Error(`objective returned a metric named "${name}", a reserved name`);
    if (typeof value !== 'number') throw new Error(`objective returned metric "${name}" = ${JSON.stringify(value)}, not a number`);
    metrics[name] = value;
  }
  return metrics;
}
