import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { findSampler } from '../../src/search/samplers/registry';
import { checkOptunaFunctions, findPython, isOptuna, runOptuna } from './optuna-bridge';
import { CHECKPOINTS, parseAlgorithm, RunResult, RunSpec, runSearch } from './search-loop';
import { summarise, formatTable } from './search-report';
import { runMultiBench } from './multi/multi.bench';
import { runSpeed } from './speed';
import { ORIGINAL_FUNCTIONS, TEST_FUNCTIONS } from './test-functions';

/** Command-line options of the search benchmark. */
interface Options {
  algorithms: string[];
  functions: string[];
  seeds: number;
  firstSeed: number;
  budgets: number[];
  workers: number;
  out: string;
  /** Whether `--out` was given (the speed mode writes bench/results/search-speed.json otherwise). */
  outGiven: boolean;
  speed: boolean;
  speedSizes: number[];
}

function parseArgs(argv: string[]): Options {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const list = (s: string | undefined, fallback: string): string[] =>
    (s ?? fallback)
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  return {
    algorithms: list(get('algorithms'), 'bayes,random,sobol'),
    // `original` names the seven functions of the first benchmark, `rugged` the two added after it.
    functions: list(get('functions'), TEST_FUNCTIONS.map((f) => f.name).join(',')).flatMap((f) =>
      f === 'original' ? [...ORIGINAL_FUNCTIONS] : f === 'rugged' ? TEST_FUNCTIONS.map((t) => t.name).filter((n) => !ORIGINAL_FUNCTIONS.includes(n)) : [f],
    ),
    seeds: Number(get('seeds') ?? 10),
    firstSeed: Number(get('first-seed') ?? 0),
    budgets: list(get('budgets'), '30,100').map(Number),
    workers: Number(get('workers') ?? Math.max(1, Math.min(2, cpus().length))),
    out: get('out') ?? join('bench', 'results', 'search.json'),
    outGiven: get('out') !== undefined,
    speed: argv.includes('--speed'),
    speedSizes: list(get('sizes'), '100,300,1000').map(Number),
  };
}

function runInWorkers(specs: RunSpec[], workers: number): Promise<RunResult[]> {
  const chunks: RunSpec[][] = Array.from({ length: workers }, () => []);
  specs.forEach((s, i) => chunks[i % workers].push(s));
  return Promise.all(
    chunks
      .filter((c) => c.length > 0)
      .map(
        (chunk) =>
          new Promise<RunResult[]>((resolve, reject) => {
            // fork() reuses this process's execArgv, so it also works under tsx.
            const child = fork(__filename, ['--child']);
            const results: RunResult[] = [];
            child.on('message', (m: RunResult) => {
              results.push(m);
              if (results.length === chunk.length) child.kill();
            });
            child.on('exit', (code) => (results.length === chunk.length ? resolve(results) : reject(new Error(`worker exited with ${code}`))));
            child.send(chunk);
          }),
      ),
  ).then((parts) => parts.flat());
}

function childMain(): void {
  process.on('message', (chunk: RunSpec[]) => {
    for (const spec of chunk) {
      const fn = TEST_FUNCTIONS.find((f) => f.name === spec.fn)!;
      process.send!(runSearch(spec, fn));
    }
  });
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.speed) {
    // Without --algorithms the speed mode times bayes alone, as it always did.
    const algorithms = process.argv.includes('--algorithms') ? opts.algorithms : ['bayes'];
    const rows = runSpeed(opts.speedSizes, algorithms);
    mkdirSync(join('bench', 'results'), { recursive: true });
    const out = opts.outGiven ? opts.out : join('bench', 'results', 'search-speed.json');
    writeFileSync(out, JSON.stringify({ command: process.argv.slice(2).join(' '), node: process.version, cpus: cpus().length, rows }, null, 2));
    return;
  }
  for (const a of opts.algorithms)
    if (!findSampler(parseAlgorithm(a).sampler) && !isOptuna(a)) throw new Error(`unknown algorithm ${a} (not registered, nor optuna-<sampler>)`);
  const specs: RunSpec[] = [];
  for (const fn of opts.functions) {
    if (!TEST_FUNCTIONS.some((f) => f.name === fn)) throw new Error(`unknown function ${fn}`);
    for (const budget of opts.budgets)
      for (const algorithm of opts.algorithms)
        for (let seed = opts.firstSeed; seed < opts.firstSeed + opts.seeds; seed++) specs.push({ algorithm, fn, seed, budget });
  }
  const started = Date.now();
  const ours = specs.filter((s) => !isOptuna(s.algorithm));
  const theirs = specs.filter((s) => isOptuna(s.algorithm));
  // Optuna runs first, then our samplers: the two never run beside each other.
  let optunaVersion: string | undefined;
  const optunaResults: RunResult[] = [];
  if (theirs.length > 0) {
    const python = findPython();
    optunaVersion = checkOptunaFunctions(python);
    optunaResults.push(...runOptuna(theirs, python));
  }
  const results = [...optunaResults, ...(ours.length > 0 ? await runInWorkers(ours, opts.workers) : [])];
  const seconds = (Date.now() - started) / 1000;
  const summary = summarise(results, CHECKPOINTS);
  console.log(formatTable(summary));
  console.log(
    `\n${specs.length} runs in ${seconds.toFixed(0)} s on ${opts.workers} worker(s), node ${process.version}, ${cpus().length} CPUs${optunaVersion ? `, optuna ${optunaVersion}` : ''}`,
  );
  mkdirSync(join('bench', 'results'), { recursive: true });
  writeFileSync(
    opts.out,
    JSON.stringify(
      { command: process.argv.slice(2).join(' '), node: process.version, cpus: cpus().length, optuna: optunaVersion, seconds, summary, results },
      null,
      2,
    ),
  );
}

if (process.argv.includes('--child')) childMain();
else if (process.argv.includes('--multi'))
  runMultiBench(process.argv.slice(2)).catch((e) => {
    console.error(e);
    process.exit(1);
  });
else
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
