/**
 * Seeds a SQLite database with a finished experiment of `n` synthetic trials, written in one
 * transaction (running 100,000 trials through the scheduler would measure the scheduler, not the
 * page). The experiment is created through the store like any other; its trials are plain rows of
 * the schema the migrations made: numbered gap-free, two lanes of timestamps (odd trials in the
 * service's own pool, even ones on a fleet worker), 90% complete, 7% pruned (with intermediate
 * values), 3% failed, a conditional parameter.
 */
import Database from 'better-sqlite3';
import { resolve, sep } from 'node:path';
import { createRng } from '../src/search/rng';
import { openStore, parseDatabaseTarget } from '../src/storage/store';
import { validateExperiment } from '../src/trials/experiment-validation';

/** The repository root, from the compiled bench (dist/bench) or from its source (bench/, as under Jest). */
const ROOT = __dirname.includes(`${sep}dist${sep}`) ? resolve(__dirname, '..', '..') : resolve(__dirname, '..');

/** The config of seeded experiments (a module objective, so it validates like any user's). */
export function seededConfig(name: string, maxTrials: number) {
  return {
    name,
    objective: { metric: 'loss', direction: 'minimize' },
    space: {
      x: { type: 'float', low: -5, high: 5 },
      lr: { type: 'float', low: 1e-4, high: 1, log: true },
      layers: { type: 'int', low: 1, high: 8 },
      optimizer: { type: 'categorical', values: ['adam', 'sgd'] },
      momentum: { type: 'float', low: 0, high: 0.99, when: { optimizer: 'sgd' } },
    },
    search: { algorithm: 'random', seed: 1 },
    budget: { maxTrials, parallelism: 2 },
    trial: { kind: 'module', module: resolve(ROOT, 'test', 'fixtures', 'objectives', 'quadratic.js') },
  };
}

/** Adds an experiment of `n` finished trials to the SQLite file `db`; resolves to its id. */
export async function seedExperiment(db: string, name: string, n: number, seed = 1): Promise<number> {
  const store = await openStore(parseDatabaseTarget(db));
  const base = Date.UTC(2026, 0, 1);
  let id: number;
  try {
    const spec = validateExperiment(seededConfig(name, n), process.cwd());
    id = (await store.experiments.create(spec, null, 'seed', base)).id;
    await store.experiments.finish(id, 'COMPLETE', 'budget reached', base + n * 500);
  } finally {
    await store.close();
  }
  const sql = new Database(db);
  const rng = createRng(seed);
  const insert = sql.prepare(
    `INSERT INTO trial (experiment_id, number, state, params, metrics, value, error, interrupted, last_step, created_at, started_at, finished_at, attempt, worker, runner, failure)
     VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, 1, ?, ?, ?)`,
  );
  const curve = sql.prepare('INSERT INTO intermediate_metric (trial_id, step, name, value) VALUES (?, ?, ?, ?)');
  const metric = sql.prepare('INSERT INTO trial_metric (trial_id, experiment_id, name, value) VALUES (?, ?, ?, ?)');
  sql.transaction(() => {
    for (let number = 1; number <= n; number++) {
      const optimizer = rng.next() < 0.5 ? 'adam' : 'sgd';
      const params: Record<string, unknown> = {
        x: -5 + 10 * rng.next(),
        lr: Math.exp(Math.log(1e-4) + rng.next() * Math.log(1e4)),
        layers: 1 + rng.int(8),
        optimizer,
      };
      if (optimizer === 'sgd') params.momentum = 0.99 * rng.next();
      const loss =
        ((params.x as number) - 1) ** 2 +
        0.3 * Math.abs(Math.log10(params.lr as number) + 2) +
        (optimizer === 'sgd' ? 2 * ((params.momentum as number) - 0.9) ** 2 : 0.5) +
        0.05 * rng.normal();
      const roll = rng.next();
      const state = roll < 0.9 ? 'COMPLETE' : roll < 0.97 ? 'PRUNED' : 'FAILED';
      const start = base + Math.floor((number - 1) / 2) * 500 + rng.int(50);
      const end = start + 200 + rng.int(280);
      const value = state === 'FAILED' ? null : state === 'PRUNED' ? loss + 1 : loss;
      const row = insert.run(
        id,
        number,
        state,
        JSON.stringify(params),
        value === null ? null : JSON.stringify({ loss: value }),
        value,
        state === 'FAILED' ? 'objective threw: synthetic failure' : null,
        state === 'FAILED' ? null : 3,
        start - 10,
        start,
        end,
        'seed-service',
        number % 2 === 0 ? 'seed-worker-1' : null,
        state === 'FAILED' ? 'error' : null,
      );
      const trialId = Number(row.lastInsertRowid);
      if (value !== null) metric.run(trialId, id, 'loss', value);
      if (value !== null && (number <= 2000 || state === 'PRUNED')) for (let step = 1; step <= 3; step++) curve.run(trialId, step, 'loss', value + 1 / step);
    }
  })();
  sql.close();
  return id;
}
