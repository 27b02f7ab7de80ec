/**
 * Orchestration throughput of this build against another (an earlier commit built in a second
 * worktree), in one run: rounds that alternate which build goes first, each running
 * `dist/bench/orchestration.bench.js --repeats 1` in its own tree. On a shared, noisy machine the
 * figure that counts is the median of the paired per-round ratios, not two medians taken apart.
 * The other tree's `bench/results/orchestration.json` is overwritten; this tree's is kept.
 * Run: `npm run build && node dist/bench/orchestration-ab.bench.js --before DIR [--rounds 8] [--trials 1000] [--out orchestration-ab]`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { machine, median, writeResult } from './bench-io';

const ROOT = resolve(__dirname, '..', '..');

const arg = (name: string, fallback?: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  if (i > 0) return process.argv[i + 1];
  if (fallback === undefined) throw new Error(`--${name} is required`);
  return fallback;
};

interface Round {
  round: number;
  build: 'before' | 'after';
  /** Trials per second at parallelism 1 and 2. */
  p1: number;
  p2: number;
}

function runIn(tree: string, trials: number): { p1: number; p2: number } {
  execFileSync(process.execPath, [join(tree, 'dist/bench/orchestration.bench.js'), '--trials', String(trials), '--repeats', '1'], {
    cwd: tree,
    stdio: 'ignore',
  });
  const result = JSON.parse(readFileSync(join(tree, 'bench/results/orchestration.json'), 'utf8')) as { rows: { parallelism: number; median: number }[] };
  const at = (p: number) => result.rows.find((r) => r.parallelism === p)!.median;
  return { p1: at(1), p2: at(2) };
}

function main(): void {
  const before = resolve(arg('before'));
  const rounds = Number(arg('rounds', '8'));
  const trials = Number(arg('trials', '1000'));
  const trees = { before, after: ROOT };
  // Each run writes its tree's bench/results/orchestration.json; this tree's recorded one is put back afterwards.
  const recorded = join(ROOT, 'bench/results/orchestration.json');
  const kept = existsSync(recorded) ? readFileSync(recorded, 'utf8') : undefined;
  const results: Round[] = [];
  for (let round = 1; round <= rounds; round++) {
    const order: ('before' | 'after')[] = round % 2 ? ['after', 'before'] : ['before', 'after'];
    for (const build of order) {
      results.push({ round, build, ...runIn(trees[build], trials) });
      process.stderr.write(`orchestration-ab: round ${round} ${build}: ${JSON.stringify(results[results.length - 1])}\n`);
    }
  }
  if (kept !== undefined) writeFileSync(recorded, kept);
  const of = (build: 'before' | 'after', key: 'p1' | 'p2') => results.filter((r) => r.build === build).map((r) => r[key]);
  const paired = (key: 'p1' | 'p2') =>
    Array.from({ length: rounds }, (_, i) => {
      const pick = (b: 'before' | 'after') => results.find((r) => r.round === i + 1 && r.build === b)![key];
      return pick('after') / pick('before');
    });
  const summary = (['p1', 'p2'] as const).map((key) => ({
    parallelism: key === 'p1' ? 1 : 2,
    beforeMedian: median(of('before', key)),
    afterMedian: median(of('after', key)),
    pairedRatioMedian: median(paired(key)),
    pairedRatios: paired(key),
  }));
  console.log(`orchestration, ${trials} trivial module trials per run, ${rounds} interleaved rounds: before = ${before}, after = ${ROOT}`);
  console.log('parallelism  before trials/s  after trials/s  after/before (median of paired rounds)');
  for (const s of summary)
    console.log(
      `${String(s.parallelism).padEnd(11)}  ${s.beforeMedian.toFixed(0).padEnd(15)}  ${s.afterMedian.toFixed(0).padEnd(14)}  ${s.pairedRatioMedian.toFixed(2)}`,
    );
  console.log(`wrote ${writeResult(arg('out', 'orchestration-ab'), { machine: machine(), before, trials, rounds: results, summary })}`);
}

main();
