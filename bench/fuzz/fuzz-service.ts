import { copyFileSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createHttpApp } from '../../src/api/http-server';
import { readServiceSettings } from '../../src/config/service-settings';
import { openServiceContext, ServiceContext } from '../../src/context/service-context';
import type { FuzzTarget } from './fuzz-routes';

/** The iris dataset shipped with the examples. */
const IRIS = resolve(__dirname, '../../../experiments/data/iris.csv');
const IRIS_FROM_SOURCE = resolve(__dirname, '../../experiments/data/iris.csv');

/** A config the fuzzer mutates: valid over the network (its paths under the roots). */
export function validModuleConfig(module: string): Record<string, unknown> {
  return {
    name: 'fuzz-module',
    objective: { metric: 'loss', direction: 'minimize' },
    space: {
      x: { type: 'float', low: -1, high: 1 },
      opt: { type: 'categorical', values: ['a', 'b'] },
      y: { type: 'int', low: 1, high: 3, when: { opt: 'a' } },
    },
    search: { algorithm: 'random', seed: 1 },
    budget: { maxTrials: 2, parallelism: 1, trialTimeoutSec: 30 },
    trial: { kind: 'module', module },
  };
}

/**
 * A loopback service for the fuzzer, open (no key) as on a developer's machine, with its data and
 * code roots in a temp folder, one finished module experiment and one registered iris model
 * (`iris`, alias `production`), so that every route has something real behind it.
 */
export async function openFuzzService(): Promise<{ target: FuzzTarget; context: ServiceContext; close(): Promise<void> }> {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'hpo-fuzz-')));
  const data = join(base, 'data');
  const code = join(base, 'code');
  mkdirSync(data);
  mkdirSync(code);
  try {
    copyFileSync(IRIS, join(data, 'iris.csv'));
  } catch {
    copyFileSync(IRIS_FROM_SOURCE, join(data, 'iris.csv'));
  }
  const module = join(code, 'objective.js');
  writeFileSync(module, 'exports.objective = (p) => ({ loss: (p.x ?? 0) ** 2 });\n');
  const context = await openServiceContext(readServiceSettings({ db: join(base, 'hpo.db') }, { HPO_DATA_ROOTS: data, HPO_CODE_ROOTS: code }));
  const app = await createHttpApp(context);
  await app.init();
  const validConfig = validModuleConfig(module);
  const moduleRun = await context.experiments.create(validConfig, { origin: 'network', baseDir: base });
  await context.experiments.waitFor(moduleRun.id);
  const iris = await context.experiments.create(
    {
      name: 'fuzz-iris',
      objective: { metric: 'val_accuracy', direction: 'maximize' },
      space: { learning_rate: { type: 'categorical', values: [0.05] } },
      budget: { maxTrials: 1, trialTimeoutSec: 120 },
      trial: { kind: 'tfjs', task: 'classification', dataset: { path: join(data, 'iris.csv'), target: 'species' }, epochs: 3 },
      registry: { model: 'iris', alias: 'production' },
    },
    { origin: 'network', baseDir: base },
  );
  await context.experiments.waitFor(iris.id);
  const { settings } = context;
  return {
    context,
    target: {
      server: app.getHttpServer() as Server,
      roots: [data, code, settings.artifactsDir, settings.registryDir],
      experimentId: moduleRun.id,
      model: 'iris',
      validConfig,
    },
    close: async () => {
      await app.close();
      await context.close();
      rmSync(base, { recursive: true, force: true });
    },
  };
}
