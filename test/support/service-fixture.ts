import { join, resolve } from 'node:path';
import { openStore, Store } from '../../src/storage/store';
import { ExperimentService } from '../../src/trials/experiment.service';
import { tempDir } from './temp-dir';

/** The folder of the test objective modules. */
export const OBJECTIVES = resolve(__dirname, '../fixtures/objectives');

/** A real store on a temporary SQLite file and a service over it; `close` ends both. */
export async function openService(file = 'hpo.db'): Promise<{
  service: ExperimentService;
  store: Store;
  dir: string;
  close: () => Promise<void>;
  reopen: () => Promise<{ service: ExperimentService; store: Store }>;
}> {
  const tmp = tempDir();
  const open = async () => {
    const store = await openStore({ kind: 'sqlite', file: join(tmp.dir, file) });
    return { store, service: new ExperimentService(store, { artifactsDir: join(tmp.dir, 'artifacts') }) };
  };
  let current = await open();
  return {
    ...current,
    dir: tmp.dir,
    reopen: async () => (current = await open()),
    close: async () => {
      await current.service.shutdown();
      await current.store.close();
      tmp.cleanup();
    },
  };
}

/** A module-objective experiment config (raw, as a user would write it). */
export function moduleConfig(module: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'module-test',
    objective: { metric: 'loss', direction: 'minimize' },
    space: { x: { type: 'float', low: -5, high: 5 }, k: { type: 'int', low: 1, high: 5 } },
    search: { algorithm: 'random', seed: 3 },
    budget: { maxTrials: 6, parallelism: 2, trialTimeoutSec: 20, maxFailedTrials: 6 },
    trial: { kind: 'module', module: join(OBJECTIVES, module) },
    ...overrides,
  };
}
