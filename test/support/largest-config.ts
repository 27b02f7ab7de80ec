import { stringify } from 'yaml';
import { CONFIG_LIMITS } from '../../src/config/defaults';

/**
 * The costliest config the limits allow, as JSON and YAML text: `CONFIG_LIMITS.parameters`
 * categorical parameters, each active only for every value of the one declared after it (so the
 * conditions cannot be ordered by declaration and need the general ordering), with as many values
 * per parameter as fit under `CONFIG_LIMITS.configBytes` in that format.
 */
export function largestConfig(module: string, format: 'json' | 'yaml', algorithm = 'random'): { text: string; config: Record<string, unknown> } {
  const make = (values: number): Record<string, unknown> => {
    const space: Record<string, unknown> = {};
    const n = CONFIG_LIMITS.parameters;
    const valuesOf = (i: number): string[] => Array.from({ length: values }, (_, j) => `v${i}_${j}`);
    for (let i = 0; i < n; i++)
      space[`p${i}`] =
        i < n - 1 ? { type: 'categorical', values: valuesOf(i), when: { [`p${i + 1}`]: valuesOf(i + 1) } } : { type: 'categorical', values: valuesOf(i) };
    return {
      name: `largest-${format}`,
      objective: { metric: 'loss', direction: 'minimize' },
      space,
      search: { algorithm, seed: 1 },
      budget: { maxTrials: 40, parallelism: 4, trialTimeoutSec: 30 },
      trial: { kind: 'module', module },
    };
  };
  const text = (config: Record<string, unknown>): string => (format === 'json' ? JSON.stringify(config) : stringify(config));
  // The size grows linearly with the values per parameter: two measures place the largest count, a step or two down settles it.
  const size = (values: number): number => Buffer.byteLength(text(make(values)));
  const [one, two] = [size(1), size(2)];
  let values = Math.max(1, Math.floor((CONFIG_LIMITS.configBytes - one) / (two - one)) + 1);
  while (values > 1 && size(values) > CONFIG_LIMITS.configBytes) values--;
  const config = make(values);
  return { text: text(config), config };
}
