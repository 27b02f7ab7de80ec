import { execFileSync, fork } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { hypervolume } from '../../../src/search/multi/hypervolume';
import { findPython } from '../optuna-bridge';
import { MULTI_FUNCTIONS } from './multi-functions';
import { MULTI_CHECKPOINTS, MultiRunResult, MultiRunSpec, runMultiSearch } from './multi-loop';

/** The Optuna sampler every one of ours is compared with. */
export const OPTUNA_NSGA2 = 'optuna-nsga2';

const DRIVER_PATHS = [join(__dirname, 'optuna_multi_driver.py'), join(__dirname, '..', '..', '..', '..', 'bench', 'search', 'multi', 'optuna_multi_driver.py')];

function runOptunaMulti(functions: string[], seeds: number, firstSeed: number, budget: number): { version: string; results: MultiRunResult[] } {
  const driver = DRIVER_PATHS.find((p) => existsSync(p));
  if (!driver) throw new Error(`optuna_multi_driver.py not found (looked in ${DRIVER_PATHS.join(', ')})`);
  const args = [driver, '--functions', functions.join(','), '--seeds', String(seeds), '--first-seed', String(firstSeed), '--budget', String(budget)];
  const out = JSON.parse(execFileSync(findPython(), args, { maxBuffer: 1 << 28, encoding: 'utf8' })) as {
    optuna: string;
    runs: { fn: string; seed: number; values: number[][] }[];
  };
  const results = out.runs.map((r) => {
    const fn = MULTI_FUNCTIONS.find((f) => f.name === r.fn)!;
    const hv = Object.fromEntries(MULTI_CHECKPOINTS.filter((c) => c <= r.values.length).map((c) => [c, hypervolume(r.values.slice(0, c), fn.reference)]));
    return { algorithm: OPTUNA_NSGA2, fn: r.fn, seed: r.seed, budget, hypervolume: hv, suggestSeconds: NaN };
  });
  return { version: out.optuna, results };
}

function runInChildren(specs: MultiRunSpec[], workers: number): Promise<MultiRunResult[]> {
  const chunks: MultiRunSpec[][] = Array.from({ length: workers }, () => []);
  specs.forEach((s, i) => chunks[i % workers].push(s));
  const parts = chunks
    .filter((c) => c.length > 0)
    .map(
      (chunk) =>
        new Promise<MultiRunResult[]>((resolve, reject) => {
          const child = fork(__filename, ['--multi-child']);
          const results: MultiRunResult[] = [];
          child.on('message', (m: MultiRunResult) => {
            results.push(m);
            if (results.length === chunk.length) child.kill();
          });
          child.on('exit', (code) => (results.length === chunk.length ? resolve(results) : reject(new Error(`worker exited with ${code}`))));
          child.send(chunk);
        }),
    );
  return Promise.all(parts).then((p) => p.flat());
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** One row of the summary: median hypervolume, its ratio to Optuna NSGA-II's, and our median time per suggestion over the whole run. */
export interface MultiSummaryRow {
  fn: string;
  algorithm: string;
  at: number;
  median: number;
  ratio: number;
  /** Median over seeds of the mean seconds per suggestion over all `budget` trials (NaN for Optuna, timed elsewhere). */
  secondsPerSuggestion: number;
}

/** Median hypervolume per (function, algorithm, checkpoint), with its ratio to Optuna NSGA-II's. */
export function summariseMulti(results: readonly MultiRunResult[]): MultiSummaryRow[] {
  const rows: MultiSummaryRow[] = [];
  const fns = [...new Set(results.map((r) => r.fn))];
  const algorithms = [...new Set(results.map((r) => r.algorithm))];
  for (const fn of fns)
    for (const at of MULTI_CHECKPOINTS) {
      const of = (a: string): number[] =>
        results.filter((r) => r.fn === fn && r.algorithm === a && r.hypervolume[at] !== undefined).map((r) => r.hypervolume[at]);
      const base = of(OPTUNA_NSGA2).length ? median(of(OPTUNA_NSGA2)) : NaN;
      for (const algorithm of algorithms) {
        const runs = results.filter((r) => r.fn === fn && r.algorithm === algorithm);
        const perSuggestion = median(runs.map((r) => r.suggestSeconds / r.budget));
        if (of(algorithm).length)
          rows.push({ fn, algorithm, at, median: median(of(algorithm)), ratio: median(of(algorithm)) / base, secondsPerSuggestion: perSuggestion });
      }
    }
  return rows;
}

/** Runs `bench/search --multi`: our multi-objective samplers and Optuna's NSGA-II on ZDT1, ZDT2 and DTLZ2. */
export async function runMultiBench(argv: string[]): Promise<void> {
  const get = (name: string): string | undefined => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : undefined);
  const algorithms = (get('algorithms') ?? 'evolution,tpe,bayes').split(',').filter(Boolean);
  const functions = (get('functions') ?? MULTI_FUNCTIONS.map((f) => f.name).join(',')).split(',').filter(Boolean);
  const seeds = Number(get('seeds') ?? 10);
  const firstSeed = Number(get('first-seed') ?? 0);
  const budget = Math.max(...MULTI_CHECKPOINTS);
  const workers = Number(get('workers') ?? Math.max(1, Math.min(2, cpus().length)));
  const started = Date.now();
  const optuna = runOptunaMulti(functions, seeds, firstSeed, budget);
  const specs: MultiRunSpec[] = [];
  for (const fn of functions)
    for (const algorithm of algorithms) for (let s = firstSeed; s < firstSeed + seeds; s++) specs.push({ algorithm, fn, seed: s, budget });
  const results = [...optuna.results, ...(await runInChildren(specs, workers))];
  const summary = summariseMulti(results);
  console.log(['function', 'algorithm', 'evals', 'median HV', 'vs optuna', 's/suggestion'].join('\t'));
  for (const r of summary) console.log([r.fn, r.algorithm, r.at, r.median.toFixed(4), r.ratio.toFixed(3), r.secondsPerSuggestion.toFixed(3)].join('\t'));
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `\n${specs.length + optuna.results.length} runs in ${seconds.toFixed(0)} s, node ${process.version}, ${cpus().length} CPUs, optuna ${optuna.version}`,
  );
  mkdirSync(join('bench', 'results'), { recursive: true });
  const out = get('out') ?? join('bench', 'results', 'search-multi.json');
  writeFileSync(
    out,
    JSON.stringify({ command: argv.join(' '), node: process.version, cpus: cpus().length, optuna: optuna.version, seconds, summary, results }, null, 2),
  );
}

if (process.argv.includes('--multi-child'))
  process.on('message', (chunk: MultiRunSpec[]) => {
    for (const spec of chunk)
      process.send!(
        runMultiSearch(
          spec,
          MULTI_FUNCTIONS.find((f) => f.name === spec.fn)!,
        ),
      );
  });
