import { HistoryTrial } from '../../src/search/history.types';
import { createRng } from '../../src/search/rng';
import { clearFitMemo } from '../../src/search/samplers/bayes/fit-schedule';
import { findSampler } from '../../src/search/samplers/registry';
import { SearchSpace } from '../../src/search/space/space.types';

/** Seconds per suggestion of one algorithm at one history size. */
export interface SpeedRow {
  algorithm: string;
  n: number;
  /** First call after a restart: empty fit memo, so the warm-start chain is recomputed. */
  coldSeconds: number;
  /** Mean over the following calls as the history grows by one each time (the memo warm, as in a running experiment). */
  steadyMeanSeconds: number;
  steadyMaxSeconds: number;
  /** CPU time (user + system) per steady call: less inflated than wall time on a shared machine. */
  steadyCpuSeconds: number;
  calls: number;
}

const SPACE: SearchSpace = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`x${i}`, { type: 'float', low: 0, high: 1 }]));

function objective(x: number[]): number {
  return x.reduce((s, v, i) => s + Math.sin(3 * v + i) + (v - 0.3) ** 2, 0);
}

/** Time per suggestion of `algorithm` (default bayes) with a random history of `n` points (d = 6). */
export function measureSpeed(n: number, calls: number, algorithm = 'bayes'): SpeedRow {
  const sampler = findSampler(algorithm);
  if (!sampler) throw new Error(`unknown algorithm ${algorithm}`);
  const rng = createRng(1234, n);
  const history: HistoryTrial[] = [];
  const add = (x: number[]): void => {
    const params = Object.fromEntries(x.map((v, i) => [`x${i}`, v]));
    history.push({ id: history.length + 1, number: history.length + 1, state: 'COMPLETE', params, value: objective(x), intermediate: [] });
  };
  for (let i = 0; i < n; i++) add(Array.from({ length: 6 }, () => rng.next()));
  const { settings } = sampler.validateSettings({}, SPACE);
  clearFitMemo();
  const times: number[] = [];
  let cpu = 0;
  for (let c = 0; c <= calls; c++) {
    const cpuStart = process.cpuUsage();
    const started = process.hrtime.bigint();
    const [params] = sampler.suggest({
      space: SPACE,
      direction: 'minimize',
      history,
      pending: [],
      count: 1,
      rng: createRng(7, history.length + 1),
      settings,
      maxTrials: 10_000,
    });
    times.push(Number(process.hrtime.bigint() - started) / 1e9);
    const used = process.cpuUsage(cpuStart);
    if (c > 0) cpu += (used.user + used.system) / 1e6;
    // Grow the history by a random point, so the next call is one new observation later.
    void params;
    add(Array.from({ length: 6 }, () => rng.next()));
  }
  const steady = times.slice(1);
  return {
    algorithm,
    n,
    coldSeconds: times[0],
    steadyMeanSeconds: steady.reduce((s, t) => s + t, 0) / steady.length,
    steadyMaxSeconds: Math.max(...steady),
    steadyCpuSeconds: cpu / calls,
    calls,
  };
}

/** Runs the speed measurement at each size for each algorithm (sizes outer, so algorithms alternate in time) and prints a table. */
export function runSpeed(sizes: number[], algorithms: string[] = ['bayes']): SpeedRow[] {
  const rows = sizes.flatMap((n) => algorithms.map((a) => measureSpeed(n, n >= 1000 ? 10 : 20, a)));
  console.log('| algorithm | n (d = 6) | cold first call (s) | steady mean wall (s) | steady mean CPU (s) | steady max wall (s) | calls |');
  console.log('|---|---|---|---|---|---|---|');
  const f = (s: number): string => (s >= 0.001 ? s.toFixed(4) : s.toExponential(2));
  for (const r of rows) {
    console.log(
      `| ${r.algorithm} | ${r.n} | ${f(r.coldSeconds)} | ${f(r.steadyMeanSeconds)} | ${f(r.steadyCpuSeconds)} | ${f(r.steadyMaxSeconds)} | ${r.calls} |`,
    );
  }
  return rows;
}
