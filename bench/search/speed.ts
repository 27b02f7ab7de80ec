import { HistoryTrial } from '../../src/search/history.types';
import { createRng } from '../../src/search/rng';
import { bayesSampler } from '../../src/search/samplers/bayes/bayes.sampler';
import { clearFitMemo } from '../../src/search/samplers/bayes/fit-schedule';
import { SearchSpace } from '../../src/search/space/space.types';

/** Seconds per bayes suggestion at one history size. */
export interface SpeedRow {
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

/** Time per bayes suggestion with a random history of `n` points (d = 6). */
export function measureSpeed(n: number, calls: number): SpeedRow {
  const rng = createRng(1234, n);
  const history: HistoryTrial[] = [];
  const add = (x: number[]): void => {
    const params = Object.fromEntries(x.map((v, i) => [`x${i}`, v]));
    history.push({ id: history.length + 1, number: history.length + 1, state: 'COMPLETE', params, value: objective(x), intermediate: [] });
  };
  for (let i = 0; i < n; i++) add(Array.from({ length: 6 }, () => rng.next()));
  const { settings } = bayesSampler.validateSettings({}, SPACE);
  clearFitMemo();
  const times: number[] = [];
  let cpu = 0;
  for (let c = 0; c <= calls; c++) {
    const cpuStart = process.cpuUsage();
    const started = process.hrtime.bigint();
    const [params] = bayesSampler.suggest({
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
    n,
    coldSeconds: times[0],
    steadyMeanSeconds: steady.reduce((s, t) => s + t, 0) / steady.length,
    steadyMaxSeconds: Math.max(...steady),
    steadyCpuSeconds: cpu / calls,
    calls,
  };
}

/** Runs the speed measurement at each size and prints a table. */
export function runSpeed(sizes: number[]): SpeedRow[] {
  const rows = sizes.map((n) => measureSpeed(n, n >= 1000 ? 10 : 20));
  console.log('| n (d = 6) | cold first call (s) | steady mean wall (s) | steady mean CPU (s) | steady max wall (s) | calls |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.n} | ${r.coldSeconds.toFixed(3)} | ${r.steadyMeanSeconds.toFixed(3)} | ${r.steadyCpuSeconds.toFixed(3)} | ${r.steadyMaxSeconds.toFixed(3)} | ${r.calls} |`,
    );
  }
  return rows;
}
