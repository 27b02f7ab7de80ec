/**
 * Training speed against scikit-learn + Optuna: 30 TPE trials of our MLP (through the real
 * ExperimentService, worker threads and SQLite) and 30 Optuna TPE trials of scikit-learn's
 * MLPClassifier, on the same generated 8×8 glyph images (a few thousand rows) and the same
 * train/validation split; then where an epoch's time goes on the wasm backend, for the old default
 * batch size and the one this bench's trials use, by tape and by the hand-written gradient; one
 * trial's path outside its epochs; and one step three ways at several widths (bench/dense-step.ts). Python runs from here (`/usr/bin/python3` with
 * Debian's python3-sklearn and python3-optuna).
 * Run: `npm run build && npm run bench:automl -- [--rows 3000] [--trials 30] [--seed 1] [--parallelism 2] [--auto]`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { machine, median, writeResult } from './bench-io';
import { denseStepCosts, StepCost } from './dense-step';
import { glyphsCsv } from './fixtures/glyphs';
import { loadDataset, PreparedData, prepareData, splitRows } from '../src/models/data/dataset-splits';
import { familyNamed } from '../src/models/families/registry';
import { deploymentMetrics } from '../src/models/metrics/deployment-metrics';
import { buildMlp, createOptimizer } from '../src/models/families/mlp/mlp';
import { resolveMlpHyperparameters } from '../src/models/families/mlp/mlp-hyperparameters';
import { initTfjsBackend } from '../src/models/tfjs/backend';
import { emptyEpochProfile, EpochProfile } from '../src/models/training/epoch-profile';
import { trainModel } from '../src/models/training/train';
import { openStore } from '../src/storage/store';
import { ExperimentService } from '../src/trials/experiment.service';

const flag = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const VALIDATION = { fraction: 0.2, seed: 1 };
/** The space both sides search (scikit-learn's `alpha` is our `l2`). */
const SPACE = {
  hidden_layers: { type: 'int', low: 1, high: 3 },
  hidden_units: { type: 'int', low: 16, high: 128, step: 16 },
  activation: { type: 'categorical', values: ['relu', 'tanh'] },
  l2: { type: 'float', low: 1e-6, high: 1e-2, log: true },
  learning_rate: { type: 'float', low: 1e-3, high: 5e-2, log: true },
};
/** Our trials as scikit-learn trains: batches of 200 (its `min(200, n)`), up to 200 epochs (max_iter), stopped after 10 without an improvement of more than 1e-4 (n_iter_no_change, tol). */
const TRIAL = { epochs: 200, batchSize: 200, earlyStopping: { metric: 'val_loss', patience: 10, minDelta: 1e-4 } };

interface ProfileRow {
  /** `tape`: the loop's gradient tape (the code before the hand-written gradient); `hand`: the hand-written gradient. */
  gradient: 'tape' | 'hand';
  batchSize: number;
  epochs: number;
  msPerEpoch: number;
  /** One optimizer step (gather, forward, backward, update). */
  msPerStep: number;
  phases: Record<keyof EpochProfile['ms'], number>;
}

/** One MLP with the default architecture, 12 epochs, every phase timed (a first run, kernel warm-up, excluded). */
async function profileEpochs(data: PreparedData, batchSize: number, gradient: 'tape' | 'hand'): Promise<ProfileRow> {
  const prep = data.preprocessing;
  const hp = resolveMlpHyperparameters({}, { epochs: 12, batchSize });
  const model = buildMlp(hp, { task: 'classification', inputSize: prep.inputSize, outputSize: prep.classes!.length }, 1);
  const optimizer = createOptimizer(hp);
  const warm = emptyEpochProfile();
  const profile = emptyEpochProfile();
  const monitor = { signal: new AbortController().signal, report: async () => undefined, shouldPrune: () => false };
  const tape = gradient === 'tape';
  await trainModel(model, optimizer, prep, data.train, data.validation, { epochs: 12, batchSize, seed: 1, profile: warm, tape }, monitor);
  // Measure a second run, on warmed-up kernels and optimizer slots.
  await trainModel(model, optimizer, prep, data.train, data.validation, { epochs: 12, batchSize, seed: 2, profile, tape }, monitor);
  model.dispose();
  optimizer.dispose();
  const per = (ms: number): number => ms / profile.epochs;
  const phases = { shuffle: per(profile.ms.shuffle), batches: per(profile.ms.batches), validation: per(profile.ms.validation), report: per(profile.ms.report) };
  const steps = Math.ceil(data.train.n / batchSize);
  return {
    gradient,
    batchSize,
    epochs: profile.epochs,
    msPerEpoch: Object.values(phases).reduce((a, b) => a + b, 0),
    msPerStep: phases.batches / steps,
    phases,
  };
}

/** Where one trial's time goes outside its epochs, in this thread, as the tfjs runtime runs it (the bench's trial settings, one TPE-like point). */
async function profileTrialPath(csv: string, dir: string): Promise<Record<string, number>> {
  const spec = { task: 'classification' as const, dataset: { path: csv, target: 'digit', validation: VALIDATION } };
  const ms: Record<string, number> = {};
  let t = performance.now();
  const lap = (phase: string): void => {
    const now = performance.now();
    ms[phase] = now - t;
    t = now;
  };
  const table = await loadDataset(csv);
  lap('dataset load (cached per thread)');
  const data = prepareData(table, spec);
  lap('split + preprocessing + encoding');
  let epochs = 0;
  const monitor = { signal: new AbortController().signal, report: async () => void epochs++, shouldPrune: () => false };
  const shape = { task: 'classification' as const, inputSize: data.preprocessing.inputSize, outputSize: data.preprocessing.classes!.length };
  const fitted = await familyNamed('mlp').fit(
    { hidden_layers: 2, hidden_units: 64, activation: 'relu', l2: 1e-4, learning_rate: 0.005 },
    data,
    shape,
    { epochs: TRIAL.epochs, batchSize: TRIAL.batchSize, seed: 1, earlyStopping: { ...TRIAL.earlyStopping } },
    monitor,
  );
  lap('build + train (all epochs)');
  ms.epochs = epochs;
  const artifactDir = path.join(dir, 'profile-artifact');
  mkdirSync(artifactDir, { recursive: true });
  await fitted.save(artifactDir);
  lap('artifact save');
  await deploymentMetrics(artifactDir, data.validation.x.subarray(0, data.preprocessing.inputSize));
  lap('deployment metrics (reload, predict_ms)');
  fitted.dispose();
  return ms;
}

interface SideResult {
  side: string;
  wallSeconds: number;
  /** CPU time of the side's process, every thread (Node: main and trial threads; Python: with BLAS's). */
  cpuSeconds: number;
  best: number;
  trials: number;
  detail?: Record<string, unknown>;
}

async function ours(service: ExperimentService, csv: string, trials: number, seed: number, parallelism: number, auto: boolean): Promise<SideResult> {
  const config = {
    name: auto ? 'speed-auto' : 'speed-mlp',
    objective: { metric: 'val_accuracy', direction: 'maximize' },
    ...(auto ? {} : { space: SPACE }),
    search: { algorithm: 'tpe', seed },
    budget: { maxTrials: trials, parallelism, trialTimeoutSec: 600, maxFailedTrials: trials },
    trial: { kind: 'tfjs', task: 'classification', model: auto ? 'auto' : 'mlp', dataset: { path: csv, target: 'digit', validation: VALIDATION }, ...TRIAL },
  };
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const created = await service.create(config, path.dirname(csv));
  await service.waitFor(created.id);
  const wallSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  const items = (await service.trials(created.id, { sort: 'number', limit: 10_000 })).items;
  const board = await service.leaderboard(created.id, { limit: 1 });
  const epochs = items.map((t) => t.lastStep ?? 0);
  // Time inside the trials (start to finish, as recorded) against the wall time: the rest is the service between trials.
  const inTrials = items.reduce((sum, t) => sum + (t.durationMs ?? 0), 0) / 1000;
  return {
    side: auto ? 'hpo model: auto (tpe)' : 'hpo mlp (tpe)',
    wallSeconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    best: board.complete[0]?.value ?? NaN,
    trials: items.length,
    detail: {
      failed: items.filter((t) => t.state === 'FAILED').length,
      medianEpochs: median(epochs),
      totalEpochs: epochs.reduce((a, b) => a + b, 0),
      trialSecondsSum: Number(inTrials.toFixed(1)),
    },
  };
}

function sklearn(splitFile: string, trials: number, seed: number): SideResult {
  const script = path.resolve(__dirname, '../../bench/sklearn-optuna.py');
  const run = spawnSync('/usr/bin/python3', [script, splitFile, String(trials), String(seed)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (run.status !== 0) throw new Error(`python failed (${run.status}): ${run.stderr}`);
  const out = JSON.parse(run.stdout.trim().split('\n').pop()!) as {
    wallSeconds: number;
    cpuSeconds: number;
    best: number;
    trials: number;
    sklearn: string;
    optuna: string;
  };
  return {
    side: 'scikit-learn MLPClassifier + Optuna TPE',
    wallSeconds: out.wallSeconds,
    cpuSeconds: out.cpuSeconds,
    best: out.best,
    trials: out.trials,
    detail: { sklearn: out.sklearn, optuna: out.optuna },
  };
}

async function main(): Promise<void> {
  const rows = Number(flag('rows', '3000'));
  const trials = Number(flag('trials', '30'));
  const seed = Number(flag('seed', '1'));
  const parallelism = Number(flag('parallelism', '2'));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hpo-automl-bench-'));
  const csv = path.join(dir, 'glyphs.csv');
  writeFileSync(csv, glyphsCsv(rows, seed));
  const split = splitRows(await loadDataset(csv), { task: 'classification', dataset: { path: csv, target: 'digit', validation: VALIDATION } });
  const splitFile = path.join(dir, 'split.json');
  writeFileSync(splitFile, JSON.stringify({ csv, train: split.train, validation: split.validation }));
  const store = await openStore({ kind: 'sqlite', file: path.join(dir, 'bench.db') });
  const service = new ExperimentService(store, { artifactsDir: path.join(dir, 'artifacts') });
  const sides: SideResult[] = [];
  const profiles: ProfileRow[] = [];
  let trialPath: Record<string, number> = {};
  let steps: StepCost[] = [];
  try {
    sides.push(sklearn(splitFile, trials, seed));
    console.error(`${sides[0].side}: ${sides[0].wallSeconds.toFixed(1)} s, best ${sides[0].best}`);
    sides.push(await ours(service, csv, trials, seed, parallelism, false));
    console.error(`${sides[1].side}: ${sides[1].wallSeconds.toFixed(1)} s, best ${sides[1].best}`);
    if (process.argv.includes('--auto')) sides.push(await ours(service, csv, trials, seed, parallelism, true));
    await initTfjsBackend('wasm');
    const data = prepareData(await loadDataset(csv), { task: 'classification', dataset: { path: csv, target: 'digit', validation: VALIDATION } });
    for (const gradient of ['tape', 'hand'] as const) for (const batch of [32, TRIAL.batchSize]) profiles.push(await profileEpochs(data, batch, gradient));
    trialPath = await profileTrialPath(csv, dir);
    steps = denseStepCosts([32, 200], [16, 64, 128]);
  } finally {
    await service.shutdown();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const reference = sides[0];
  console.log(`\n${trials} trials, ${rows} rows (${split.train.length} train / ${split.validation.length} validation), seed ${seed}\n`);
  console.log('| side | wall s | × scikit-learn | CPU s | best val_accuracy | trials | detail |');
  console.log('|---|---|---|---|---|---|---|');
  for (const s of sides) {
    console.log(
      `| ${s.side} | ${s.wallSeconds.toFixed(1)} | ${(s.wallSeconds / reference.wallSeconds).toFixed(2)} | ${s.cpuSeconds.toFixed(1)} | ${s.best.toFixed(4)} | ${s.trials} | ${JSON.stringify(s.detail ?? {})} |`,
    );
  }
  console.log('\n| gradient | batch size | ms / epoch | ms / step | shuffle | batches | validation | report |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const p of profiles) {
    const f = (v: number): string => v.toFixed(2);
    console.log(
      `| ${p.gradient} | ${p.batchSize} | ${f(p.msPerEpoch)} | ${f(p.msPerStep)} | ${f(p.phases.shuffle)} | ${f(p.phases.batches)} | ${f(p.phases.validation)} | ${f(p.phases.report)} |`,
    );
  }
  console.log('\n| batch | units | tape ms / step | hand ms / step | plain-JS matMuls ms / step |');
  console.log('|---|---|---|---|---|');
  for (const r of steps) console.log(`| ${r.batchSize} | ${r.units} | ${r.tape.toFixed(2)} | ${r.hand.toFixed(2)} | ${r.plainJsMatMuls.toFixed(2)} |`);
  console.log('\none trial, in one thread:');
  for (const [phase, v] of Object.entries(trialPath)) console.log(`- ${phase}: ${v.toFixed(phase === 'epochs' ? 0 : 1)}`);
  const file = writeResult('automl-speed', {
    machine: machine(),
    loadAverage: os.loadavg(),
    rows,
    trials,
    seed,
    parallelism,
    validation: VALIDATION,
    trial: TRIAL,
    space: SPACE,
    sides,
    profiles,
    trialPath,
    steps,
  });
  console.log(`\nwritten to ${file}`);
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
