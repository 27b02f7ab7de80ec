/**
 * Orchestration overhead: trials per second through the whole path (sampler → piscina pool →
 * SQLite) with a trivial module objective. Run: `npm run build && node dist/bench/orchestration.bench.js [--trials 1000] [--repeats 3]`.
 */
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openStore } from '../src/storage/store';
import { ExperimentService } from '../src/trials/experiment.service';
import { machine, median, writeResult } from './bench-io';
import { tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

async function once(trials: number, parallelism: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'hpo-bench-'));
  const store = await openStore({ kind: 'sqlite', file: join(dir, 'bench.db') });
  const service = new ExperimentService(store, { artifactsDir: join(dir, 'artifacts') });
  const config = {
    name: 'orchestration',
    objective: { metric: 'value', direction: 'minimize' },
    space: { x: { type: 'float', low: -1, high: 1 } },
    search: { algorithm: 'random', seed: 1 },
    budget: { maxTrials: trials, parallelism, trialTimeoutSec: 60, maxFailedTrials: 1 },
    trial: { kind: 'module', module: resolve(__dirname, '../../bench/fixtures/trivial-objective.js') },
  };
  const started = performance.now();
  const record = await service.create(config, '/');
  const final = await service.waitFor(record.id);
  const seconds = (performance.now() - started) / 1000;
  const counts = await store.queries.countsByState(record.id);
  if (final.state !== 'COMPLETE' || counts.COMPLETE !== trials) throw new Error(`bench run did not complete: ${JSON.stringify(counts)}`);
  await service.shutdown();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return trials / seconds;
}

async function main(): Promise<void> {
  const trials = arg('trials', 1000);
  const repeats = arg('repeats', 3);
  const rows: { parallelism: number; runs: number[]; median: number }[] = [];
  for (const parallelism of [1, 2]) {
    const runs: number[] = [];
    for (let r = 0; r < repeats; r++) runs.push(await once(trials, parallelism));
    rows.push({ parallelism, runs, median: median(runs) });
  }
  const optunaReference = 24;
  console.log(`orchestration: ${trials} trials of a trivial module objective, random search, SQLite file (median of ${repeats})`);
  console.log('parallelism  trials/s (median)  runs                 x Optuna 3.1 (24/s)');
  for (const r of rows)
    console.log(
      `${String(r.parallelism).padEnd(11)}  ${r.median.toFixed(0).padEnd(17)}  ${r.runs
        .map((v) => v.toFixed(0))
        .join(', ')
        .padEnd(19)}  ${(r.median / optunaReference).toFixed(1)}x`,
    );
  console.log(`written to ${writeResult('orchestration', { trials, repeats, rows, optunaReferenceTrialsPerSecond: optunaReference, machine: machine() })}`);
}

void main();
