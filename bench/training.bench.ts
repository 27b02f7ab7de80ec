/**
 * Training speed of the built-in MLP: epochs per second on iris and wine, on the wasm and cpu
 * backends, with the runtime's custom loop and with `model.fit` for comparison. Each (backend,
 * dataset, loop) runs in a fresh worker thread so backends never mix. An epoch includes computing
 * the validation metrics, as in a real trial; the first epoch (kernel warm-up, optimizer slots) is
 * not timed. Run: `npm run build && node dist/bench/training.bench.js [--runs N] [--epochs N]`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../src/models/tfjs/backend';
import { buildMlp, createOptimizer, MlpShape } from '../src/models/families/mlp/mlp';
import { trainModel, validationMetrics } from '../src/models/training/train';
import { MlpHyperparameters, resolveMlpHyperparameters } from '../src/models/families/mlp/mlp-hyperparameters';
import { PreparedData, loadDataset, prepareData } from '../src/models/data/dataset-splits';
import { BackendPreference } from '../src/models/tfjs/native-binding';

type Loop = 'custom' | 'fit';
interface Job {
  backend: BackendPreference;
  dataset: 'iris' | 'wine';
  runs: number;
  epochs: number;
}
interface LoopResult {
  loop: Loop;
  epochsPerSecond: number[];
  medianEpochsPerSecond: number;
  finalValAccuracy: number;
}
interface JobResult extends Job {
  recordedBackend: string;
  loops: LoopResult[];
  /** Median over runs of custom ÷ fit epochs/s, each pair timed back to back (robust to load drift). */
  customOverFit: number;
}

const TARGETS = { iris: 'species', wine: 'cultivar' } as const;
const PARAMS = { hidden_layers: 2, hidden_units: 64, batch_size: 16, learning_rate: 0.01, optimizer: 'adam' };
const DATA_DIR = path.resolve(__dirname, '../../experiments/data');

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface Setup {
  job: Job;
  data: PreparedData;
  hp: MlpHyperparameters;
  shape: MlpShape;
}

/** Trains one model with one loop; resolves to the time stamp of each epoch's end. */
async function timeOneRun({ job, data, hp, shape }: Setup, loop: Loop, seed: number, onAccuracy: (a: number) => void): Promise<number[]> {
  const prep = data.preprocessing;
  const model = buildMlp(hp, shape, seed);
  const optimizer = createOptimizer(hp);
  const stamps: number[] = [];
  const onEpoch = (accuracy: number): void => {
    stamps.push(performance.now());
    onAccuracy(accuracy);
  };
  if (loop === 'custom') {
    const ctx = {
      signal: new AbortController().signal,
      shouldPrune: () => false,
      report: async (_: number, m: Record<string, number>) => onEpoch(m.val_accuracy),
    };
    await trainModel(model, optimizer, prep, data.train, data.validation, { epochs: job.epochs, batchSize: hp.batch_size, seed }, ctx);
  } else {
    model.compile({ optimizer, loss: 'categoricalCrossentropy' });
    const x = tf.tensor2d(data.train.x, [data.train.n, prep.inputSize]);
    const y = tf.tensor2d(data.train.y, [data.train.n, shape.outputSize]);
    await model.fit(x, y, {
      epochs: job.epochs,
      batchSize: hp.batch_size,
      shuffle: true,
      verbose: 0,
      yieldEvery: 'never',
      callbacks: { onEpochEnd: async () => onEpoch((await validationMetrics(model, prep, data.validation)).val_accuracy) },
    });
    tf.dispose([x, y]);
  }
  model.dispose();
  optimizer.dispose();
  return stamps;
}

async function runJob(job: Job): Promise<JobResult> {
  const recordedBackend = await initTfjsBackend(job.backend);
  const file = path.join(DATA_DIR, `${job.dataset}.csv`);
  const spec = { task: 'classification' as const, dataset: { path: file, target: TARGETS[job.dataset], validation: { fraction: 0.2, seed: 1 } } };
  const data = prepareData(await loadDataset(file), spec);
  const prep = data.preprocessing;
  const hp = resolveMlpHyperparameters(PARAMS, { epochs: job.epochs, batchSize: 16 });
  const setup: Setup = { job, data, hp, shape: { task: prep.task, inputSize: prep.inputSize, outputSize: prep.classes!.length } };
  const results: Record<Loop, LoopResult> = {
    custom: { loop: 'custom', epochsPerSecond: [], medianEpochsPerSecond: NaN, finalValAccuracy: NaN },
    fit: { loop: 'fit', epochsPerSecond: [], medianEpochsPerSecond: NaN, finalValAccuracy: NaN },
  };
  for (let run = 0; run < job.runs; run++) {
    // Alternate which loop goes first, so a load change mid-run does not favour one.
    const order: Loop[] = run % 2 === 0 ? ['custom', 'fit'] : ['fit', 'custom'];
    for (const loop of order) {
      const r = results[loop];
      const stamps = await timeOneRun(setup, loop, run + 1, (accuracy) => (r.finalValAccuracy = accuracy));
      r.epochsPerSecond.push(((stamps.length - 1) * 1000) / (stamps[stamps.length - 1] - stamps[0]));
    }
  }
  for (const r of Object.values(results)) r.medianEpochsPerSecond = median(r.epochsPerSecond);
  const ratios = results.custom.epochsPerSecond.map((c, i) => c / results.fit.epochsPerSecond[i]);
  return { ...job, recordedBackend, loops: [results.custom, results.fit], customOverFit: median(ratios) };
}

function inWorker(job: Job): Promise<JobResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(__filename, { workerData: job });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`bench worker exited with ${code}`)));
  });
}

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

async function main(): Promise<void> {
  const runs = flag('runs', 5);
  const epochs = flag('epochs', 20);
  const results: JobResult[] = [];
  for (const backend of ['wasm', 'cpu'] as const) {
    for (const dataset of ['iris', 'wine'] as const) {
      results.push(await inWorker({ backend, dataset, runs, epochs }));
    }
  }
  const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', node: process.version, tfjs: tf.version.tfjs };
  console.log(`MLP 2x64, batch 16, adam; ${epochs} epochs per run (first untimed), median of ${runs} runs; ${machine.cpus} cores, Node ${machine.node}`);
  console.log('| backend | dataset | loop | epochs/s (median) | min–max | final val_accuracy | custom ÷ fit (paired median) |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of results) {
    for (const l of r.loops) {
      const lo = Math.min(...l.epochsPerSecond).toFixed(1),
        hi = Math.max(...l.epochsPerSecond).toFixed(1);
      const ratio = l.loop === 'custom' ? r.customOverFit.toFixed(2) : '';
      console.log(
        `| ${r.recordedBackend} | ${r.dataset} | ${l.loop} | ${l.medianEpochsPerSecond.toFixed(1)} | ${lo}–${hi} | ${l.finalValAccuracy.toFixed(3)} | ${ratio} |`,
      );
    }
  }
  const out = path.resolve(__dirname, '../../bench/results/training.json');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), machine, params: PARAMS, epochs, runs, results }, null, 2));
  console.log(`wrote ${out}`);
}

if (isMainThread) {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
} else {
  runJob(workerData as Job).then((r) => parentPort!.postMessage(r));
}
