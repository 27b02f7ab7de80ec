import { pathToFileURL } from 'node:url';
import { metricsFromReturn } from './objective-metrics';
import { TrialContext, TrialRuntime } from '../runtime.types';
import { ModuleTrialConfig } from './module.config';

// TypeScript compiles `import()` to `require()` under CommonJS, which cannot load ES modules; this keeps a real dynamic import.
const dynamicImport = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<Record<string, unknown>>;

type Objective = (params: Record<string, unknown>, ctx: TrialContext) => unknown;

async function loadObjective(file: string, exportName: string): Promise<Objective> {
  const mod = await dynamicImport(pathToFileURL(file).href);
  const fn = mod[exportName] ?? (mod.default as Record<string, unknown> | undefined)?.[exportName];
  if (typeof fn !== 'function') throw new Error(`${file} does not export a function named "${exportName}"`);
  return fn as Objective;
}

/**
 * Runs a user's `objective(params, ctx)` from a JavaScript module (CommonJS or ESM). An objective
 * that returns after `ctx.shouldPrune()` said yes ends PRUNED, whatever it returned.
 */
export const moduleRuntime: TrialRuntime<ModuleTrialConfig> = {
  kind: 'module',
  async run(spec, params, ctx) {
    const objective = await loadObjective(spec.module, spec.export);
    const returned = await objective({ ...params }, ctx);
    if (ctx.shouldPrune())
      return { metrics: returned === undefined || returned === null ? {} : metricsFromReturn(returned, ctx.objectiveMetric), pruned: true };
    return { metrics: metricsFromReturn(returned, ctx.objectiveMetric) };
  },
};
