/**
 * Parallel speed-up: wall time of 8 equal tfjs trials (wine MLP, wasm) at parallelism 2 over
 * parallelism 1, through the real service and worker pool.
 * Run: `npm run build && node dist/bench/parallel.bench.js [--trials 8] [--epochs 20] [--repeats 3]`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openStore } from '../src/storage/store';
import { ExperimentService } from '../src/trials/experiment.service';
import { machine, median, writeResult } from './bench-io';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

async function wallSeconds(trials: number, epochs: number, parallelism: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'hpo-parallel-'));
  const store = await openStore({ kind: 'sqlite', file: join(dir, 'bench.db') });
  const service = new ExperimentService(store, { artifactsDir: join(dir, 'artifacts') });
  const started = performance.now();
  const record = await service.create(
    {
      name: 'parallel-speedup',
      objective: { metric: 'val_accuracy', direction: 'maximize' },
      // One value per parameter: every trial trains the same model.
      space: { hidden_units: { type: 'categorical', values: [64] }, hidden_layers: { type: 'categorical', values: [2] } },
      budget: { maxTrials: trials, parallelism, trialTimeoutSec: 600 },
      trial: {
        kind: 'tfjs',
        task: 'classification',
        dataset: { path: resolve(__dirname, '../../experiments/data/wine.csv'), target: 'cultivar' },
        epochs,
        batchSize: 16,
      },
    },
    '/',
  );
  const final = await service.waitFor(record.id);
  const seconds = (performance.now() - started) / 1000;
  if (final.state !== 'COMPLETE') throw new Error(`run ended ${final.state}: ${final.stopReason}`);
  await service.shutdown();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return seconds;
}

async function main(): Promise<void> {
  const trials = arg('trials', 8);
  const epochs = arg('epochs', 20);
  const repeats = arg('repeats', 3);
  const p1: number[] = [];
  const p2: number[] = [];
  for (let r = 0; r < repeats; r++) {
    p1.push(await wallSeconds(trials, epochs, 1));
    p2.push(await wallSeconds(trials, epochs, 2));
  }
  const ratios = p1.map((t, i) => t / p2[i]);
  console.log(`parallel speed-up: ${trials} equal wine MLP trials (2x64, ${epochs} epochs, batch 16, wasm), ${repeats} paired runs`);
  console.log('parallelism  wall s (median)  runs');
  console.log(`1            ${median(p1).toFixed(2).padEnd(15)}  ${p1.map((v) => v.toFixed(2)).join(', ')}`);
  console.log(`2            ${median(p2).toFixed(2).padEnd(15)}  ${p2.map((v) => v.toFixed(2)).join(', ')}`);
  console.log(`speed-up (median of paired ratios): ${median(ratios).toFixed(2)}x`);
  console.log(
    `written to ${writeResult('parallel', { trials, epochs, repeats, parallelism1: p1, parallelism2: p2, pairedRatios: ratios, medianSpeedup: median(ratios), machine: machine() })}`,
  );
}

void main();
