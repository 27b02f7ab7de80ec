/**
 * Early stopping on real tfjs experiments: total epochs trained, wall time and best validation
 * metric with `asha`, `median` and no pruning, on wine (val_accuracy, maximize) and diabetes
 * (val_rmse, minimize). Every experiment runs through the real ExperimentService, worker threads
 * and a temporary SQLite file, one experiment at a time. Random search with the same seed samples
 * the same parameters and trial seeds whatever the pruner, so the three arms of one seed train the
 * same models and differ only in which are stopped.
 * Run: `npm run build && node dist/bench/pruning.bench.js [--seeds 3] [--first-seed 1] [--trials 40] [--epochs 30]
 * [--parallelism 2] [--datasets wine,diabetes] [--pruners none,asha,median] [--asha JSON] [--median JSON] [--out FILE]`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openStore } from '../src/storage/store';
import { ExperimentService } from '../src/trials/experiment.service';
import { Direction } from '../src/search/history.types';

interface Dataset {
  name: string;
  file: string;
  target: string;
  task: 'classification' | 'regression';
  metric: string;
  direction: Direction;
}
interface RunResult {
  dataset: string;
  pruner: string;
  seed: number;
  trials: number;
  pruned: number;
  failed: number;
  totalEpochs: number;
  wallSeconds: number;
  best: number | null;
}

const DATA_DIR = path.resolve(__dirname, '../../experiments/data');
const DATASETS: Dataset[] = [
  { name: 'wine', file: 'wine.csv', target: 'cultivar', task: 'classification', metric: 'val_accuracy', direction: 'maximize' },
  { name: 'diabetes', file: 'diabetes.csv', target: 'progression', task: 'regression', metric: 'val_rmse', direction: 'minimize' },
];
/** One setting per pruner for both datasets: ASHA as the issue specifies it, median with its defaults. */
const PRUNINGS: Record<string, Record<string, unknown> | undefined> = {
  none: undefined,
  asha: { algorithm: 'asha', settings: { minResource: 1, reductionFactor: 3 } },
  median: { algorithm: 'median', settings: {} },
};
/** A realistic MLP space; epochs are fixed by the trial section. */
const SPACE = {
  learning_rate: { type: 'float', low: 1e-4, high: 1e-1, log: true },
  hidden_units: { type: 'int', low: 16, high: 256, step: 16 },
  hidden_layers: { type: 'int', low: 1, high: 3 },
  activation: { type: 'categorical', values: ['relu', 'tanh', 'elu'] },
  batch_size: { type: 'categorical', values: [16, 32, 64] },
};

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

async function runOne(
  service: ExperimentService,
  d: Dataset,
  pruner: string,
  seed: number,
  opts: { trials: number; epochs: number; parallelism: number },
): Promise<RunResult> {
  const config = {
    name: `bench-${d.name}-${pruner}-${seed}`,
    objective: { metric: d.metric, direction: d.direction },
    space: SPACE,
    search: { algorithm: 'random', seed },
    budget: { maxTrials: opts.trials, parallelism: opts.parallelism, trialTimeoutSec: 600, maxFailedTrials: opts.trials },
    ...(PRUNINGS[pruner] ? { pruning: PRUNINGS[pruner] } : {}),
    trial: { kind: 'tfjs', task: d.task, dataset: { path: path.join(DATA_DIR, d.file), target: d.target }, epochs: opts.epochs },
  };
  const started = performance.now();
  const created = await service.create(config, DATA_DIR);
  await service.waitFor(created.id);
  const wallSeconds = (performance.now() - started) / 1000;
  const trials = (await service.trials(created.id, { sort: 'number', limit: 10_000 })).items;
  const board = await service.leaderboard(created.id, { limit: 1 });
  return {
    dataset: d.name,
    pruner,
    seed,
    trials: trials.length,
    pruned: trials.filter((t) => t.state === 'PRUNED').length,
    failed: trials.filter((t) => t.state === 'FAILED').length,
    // One report per epoch, so the last step reported is the number of epochs trained.
    totalEpochs: trials.reduce((sum, t) => sum + (t.lastStep ?? 0), 0),
    wallSeconds,
    // The best complete trial: what the experiment would promote (a pruned trial's value is from a shorter training).
    best: board.complete[0]?.value ?? null,
  };
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

interface Summary {
  dataset: string;
  pruner: string;
  meanEpochs: number;
  meanWallSeconds: number;
  meanBest: number;
  epochReduction: number;
  bestDelta: number;
  deltaUnit: string;
  meetsBar: boolean | null;
}

/** Per (dataset, pruner): means over seeds, and against no pruning the epoch ratio and the change in best. */
function summarise(results: RunResult[], datasets: Dataset[], pruners: string[]): Summary[] {
  const rows: Summary[] = [];
  for (const d of datasets) {
    const of = (p: string) => results.filter((r) => r.dataset === d.name && r.pruner === p);
    const base = of('none');
    for (const p of pruners) {
      const runs = of(p);
      const meanEpochs = mean(runs.map((r) => r.totalEpochs));
      const meanBest = mean(runs.map((r) => r.best ?? NaN));
      const baseBest = base.length ? mean(base.map((r) => r.best ?? NaN)) : NaN;
      const classification = d.task === 'classification';
      // Accuracy: percentage points (positive = better); RMSE: per cent change (negative = better).
      const bestDelta = classification ? (meanBest - baseBest) * 100 : ((meanBest - baseBest) / baseBest) * 100;
      const epochReduction = base.length ? mean(base.map((r) => r.totalEpochs)) / meanEpochs : NaN;
      const withinBest = classification ? bestDelta >= -1 : bestDelta <= 5;
      rows.push({
        dataset: d.name,
        pruner: p,
        meanEpochs,
        meanWallSeconds: mean(runs.map((r) => r.wallSeconds)),
        meanBest,
        epochReduction,
        bestDelta,
        deltaUnit: classification ? 'pp' : '%',
        meetsBar: p === 'none' || !base.length ? null : epochReduction >= 2 && withinBest,
      });
    }
  }
  return rows;
}

function printTable(rows: Summary[], results: RunResult[], datasets: Dataset[]): void {
  console.log(
    '| dataset (metric) | pruner | total epochs (mean) | fewer epochs than none | wall s (mean) | best (mean) | best vs none | per-seed best | meets bar |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const d = datasets.find((x) => x.name === r.dataset)!;
    const perSeed = results
      .filter((x) => x.dataset === r.dataset && x.pruner === r.pruner)
      .map((x) => x.best?.toFixed(d.task === 'classification' ? 3 : 2))
      .join(' / ');
    const delta = r.pruner === 'none' ? '' : `${r.bestDelta >= 0 ? '+' : ''}${r.bestDelta.toFixed(2)} ${r.deltaUnit}`;
    const bar = r.meetsBar === null ? '' : r.meetsBar ? 'yes' : 'no';
    console.log(
      `| ${r.dataset} (${d.metric}) | ${r.pruner} | ${r.meanEpochs.toFixed(0)} | ${r.pruner === 'none' ? '' : `${r.epochReduction.toFixed(1)}x`} | ${r.meanWallSeconds.toFixed(1)} | ${r.meanBest.toFixed(4)} | ${delta} | ${perSeed} | ${bar} |`,
    );
  }
}

async function main(): Promise<void> {
  const opts = { trials: Number(flag('trials', '40')), epochs: Number(flag('epochs', '30')), parallelism: Number(flag('parallelism', '2')) };
  const seeds = Number(flag('seeds', '3'));
  const firstSeed = Number(flag('first-seed', '1'));
  const lastSeed = firstSeed + seeds - 1;
  const datasets = DATASETS.filter((d) => flag('datasets', 'wine,diabetes').split(',').includes(d.name));
  const pruners = flag('pruners', 'none,asha,median').split(',');
  // Other settings for one pruner, to compare against the defaults above: --asha '{"minResource": 3}'.
  for (const name of ['asha', 'median']) {
    const given = flag(name, '');
    if (given) PRUNINGS[name] = { algorithm: name, settings: { ...(PRUNINGS[name]?.settings as object), ...JSON.parse(given) } };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hpo-pruning-bench-'));
  const store = await openStore({ kind: 'sqlite', file: path.join(dir, 'bench.db') });
  const service = new ExperimentService(store, { artifactsDir: path.join(dir, 'artifacts') });
  const results: RunResult[] = [];
  const started = performance.now();
  try {
    for (const d of datasets) {
      for (let seed = firstSeed; seed <= lastSeed; seed++) {
        for (const p of pruners) {
          const r = await runOne(service, d, p, seed, opts);
          results.push(r);
          console.error(
            `${d.name} seed ${seed} ${p}: ${r.totalEpochs} epochs, ${r.pruned} pruned, ${r.failed} failed, best ${r.best}, ${r.wallSeconds.toFixed(1)} s`,
          );
        }
      }
    }
  } finally {
    await service.shutdown();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const rows = summarise(results, datasets, pruners);
  const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', node: process.version, loadAverage: os.loadavg() };
  console.log(
    `${opts.trials} trials × ${opts.epochs} epochs, random search, parallelism ${opts.parallelism}, seeds ${firstSeed}..${lastSeed}; ${machine.cpus} cores, Node ${machine.node}; total ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  printTable(rows, results, datasets);
  const out = path.resolve(flag('out', path.resolve(__dirname, '../../bench/results/pruning.json')));
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(
    out,
    JSON.stringify(
      { date: new Date().toISOString(), machine, options: { ...opts, seeds, firstSeed }, space: SPACE, prunings: PRUNINGS, summary: rows, runs: results },
      null,
      2,
    ),
  );
  console.log(`wrote ${out}`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
