/**
 * Memory of a long run: the resident set of an `hpo run` process over 10k, 100k and 1M trivial
 * random-search trials (SQLite file, the default pool), sampled from /proc while it runs, with the
 * trial count read from its progress line. A service that runs for weeks must stay flat past the
 * first trials: what it holds should follow the trials in flight, not the trials ever run.
 * The resident set saws up and down with V8's garbage (its heap limit grows while collection is
 * cheap), so the figure that shows what the process keeps is the main thread's live heap after each
 * full collection, read from `--trace-gc`.
 * Run: `npm run build && node dist/bench/memory.bench.js [--trials 10000,100000,1000000] [--parallelism 2]`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { machine, median, writeResult } from './bench-io';

const ROOT = resolve(__dirname, '..', '..');
const SAMPLE_MS = 200;
/** Trials after which the process counts as warmed up: its peak past this point is the one that must stay flat. */
const WARM_TRIALS = 1_000;

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};

/** One sample: trials finished so far (from the progress line) and the resident set in MB. */
interface Sample {
  trials: number;
  rssMb: number;
  /** Milliseconds since the process started. */
  atMs: number;
}

/** A full collection of the main thread: heap before and the live heap after, MB. */
interface FullGc {
  atMs: number;
  beforeMb: number;
  afterMb: number;
}

interface RunResult {
  trials: number;
  seconds: number;
  trialsPerSecond: number;
  /** Resident set at the first sample past {@link WARM_TRIALS}. */
  rssAtWarmMb: number;
  /** The highest resident set the kernel saw for the process (VmHWM), whole run. */
  peakMb: number;
  /** The highest sampled resident set past {@link WARM_TRIALS} trials. */
  peakAfterWarmMb: number;
  /** Median resident set over the last tenth of the run. */
  lastTenthMedianMb: number;
  /** Median resident set over the first tenth past warm-up (for the drift against the last tenth). */
  firstTenthMedianMb: number;
  /** The main thread's live heap after its first full collection past warm-up, the smallest and largest after any later one, and after the last. */
  liveHeap: { firstMb: number; minMb: number; maxMb: number; lastMb: number; collections: number };
  samples: Sample[];
  fullCollections: FullGc[];
}

function procStatus(pid: number): { rssMb: number; hwmMb: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return undefined; // the process has ended
  }
}

async function once(trials: number, parallelism: number): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'hpo-bench-memory-'));
  const config = join(dir, 'trivial.json');
  writeFileSync(
    config,
    JSON.stringify({
      name: 'memory',
      objective: { metric: 'value', direction: 'minimize' },
      space: { x: { type: 'float', low: -1, high: 1 } },
      search: { algorithm: 'random', seed: 1 },
      budget: { maxTrials: trials, parallelism, maxFailedTrials: 1 },
      trial: { kind: 'module', module: join(ROOT, 'bench/fixtures/trivial-objective.js') },
    }),
  );
  const started = performance.now();
  const child = spawn(process.execPath, ['--trace-gc', join(ROOT, 'bin/hpo.js'), 'run', config, '--db', join(dir, 'memory.db')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collections = new Map<string, FullGc[]>();
  let pending = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      // "[pid:0xisolate]  4277 ms: Mark-Compact 55.0 (85.8) -> 32.7 (79.8) MB, …": one isolate per thread.
      const m = /^\[\d+:(0x[0-9a-f]+)\]\s+(\d+) ms: Mark-Compact(?: \(reduce\))? ([\d.]+) \([\d.]+\) -> ([\d.]+)/.exec(line);
      if (!m) continue;
      const list = collections.get(m[1]) ?? [];
      list.push({ atMs: Number(m[2]), beforeMb: Number(m[3]), afterMb: Number(m[4]) });
      collections.set(m[1], list);
    }
  });
  let done = 0;
  let tail = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-4000);
    const counts = [...chunk.matchAll(/(\d+)\/\d+ trials/g)];
    if (counts.length > 0) done = Number(counts[counts.length - 1][1]);
  });
  const samples: Sample[] = [];
  let hwmMb = 0;
  const timer = setInterval(() => {
    const status = procStatus(child.pid!);
    if (!status) return;
    if (Number.isFinite(status.hwmMb)) hwmMb = Math.max(hwmMb, status.hwmMb);
    if (Number.isFinite(status.rssMb)) samples.push({ trials: done, rssMb: status.rssMb, atMs: performance.now() - started });
  }, SAMPLE_MS);
  const code = await new Promise<number | null>((resolvePromise) => child.on('exit', (c) => resolvePromise(c)));
  clearInterval(timer);
  const seconds = (performance.now() - started) / 1000;
  rmSync(dir, { recursive: true, force: true });
  if (code !== 0) throw new Error(`hpo run of ${trials} trials exited ${code}:\n${tail}`);
  const warm = samples.filter((s) => s.trials >= WARM_TRIALS);
  if (warm.length === 0) throw new Error(`no sample past ${WARM_TRIALS} trials (run too short to measure)`);
  const tenth = Math.max(1, Math.floor(warm.length / 10));
  // The main thread's heap is the largest; worker threads hold one trivial trial at a time.
  const main = [...collections.values()].sort((a, b) => Math.max(...b.map((g) => g.afterMb)) - Math.max(...a.map((g) => g.afterMb)))[0] ?? [];
  const pastWarm = main.filter((g) => g.atMs >= warm[0].atMs);
  if (pastWarm.length === 0) throw new Error('no full collection of the main thread past warm-up (run too short to measure)');
  const after = pastWarm.map((g) => g.afterMb);
  return {
    trials,
    seconds,
    trialsPerSecond: trials / seconds,
    rssAtWarmMb: warm[0].rssMb,
    peakMb: hwmMb,
    peakAfterWarmMb: Math.max(...warm.map((s) => s.rssMb)),
    firstTenthMedianMb: median(warm.slice(0, tenth).map((s) => s.rssMb)),
    lastTenthMedianMb: median(warm.slice(-tenth).map((s) => s.rssMb)),
    liveHeap: { firstMb: after[0], minMb: Math.min(...after), maxMb: Math.max(...after), lastMb: after[after.length - 1], collections: after.length },
    fullCollections: main,
    // A sample a second is plenty to plot; the full series of a 1M run would be tens of thousands.
    samples: samples.filter((_, i) => i % Math.round(1000 / SAMPLE_MS) === 0),
  };
}

async function main(): Promise<void> {
  const sizes = arg('trials', '10000,100000,1000000').split(',').map(Number);
  const parallelism = Number(arg('parallelism', '2'));
  const runs: RunResult[] = [];
  for (const trials of sizes) {
    runs.push(await once(trials, parallelism));
    const r = runs[runs.length - 1];
    process.stderr.write(`memory: ${trials} trials done in ${r.seconds.toFixed(0)} s\n`);
  }
  const mb = (v: number) => v.toFixed(0).padStart(7);
  console.log(`memory: hpo run, trivial module objective, random search, parallelism ${parallelism}, SQLite file; resident set sampled every ${SAMPLE_MS} ms`);
  console.log('   trials  trials/s  RSS@1k  peak RSS  RSS median first/last 10%  live heap first  min  max  last  (full GCs)');
  for (const r of runs) {
    const live = r.liveHeap;
    console.log(
      `${String(r.trials).padStart(9)}  ${r.trialsPerSecond.toFixed(0).padStart(8)}  ${mb(r.rssAtWarmMb)}  ${mb(r.peakMb)}  ${mb(r.firstTenthMedianMb)} / ${mb(r.lastTenthMedianMb)}         ${live.firstMb.toFixed(1).padStart(6)} ${live.minMb.toFixed(1).padStart(5)} ${live.maxMb.toFixed(1).padStart(5)} ${live.lastMb.toFixed(1).padStart(5)}  (${live.collections})`,
    );
  }
  console.log('(MB; past the first 1k trials; live heap = the main thread after each full collection)');
  const file = writeResult('memory', { machine: machine(), parallelism, sampleMs: SAMPLE_MS, warmTrials: WARM_TRIALS, runs });
  console.log(`wrote ${file}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
