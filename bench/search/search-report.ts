import { RunResult } from './search-loop';

/** Median and interquartile range of simple regret for one (function, algorithm, budget, evaluations) cell. */
export interface SummaryRow {
  fn: string;
  algorithm: string;
  budget: number;
  evaluations: number;
  median: number;
  q1: number;
  q3: number;
  runs: number;
  meanSuggestSeconds: number;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos),
    hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Groups runs and takes median and quartiles (linear interpolation) at each checkpoint. */
export function summarise(results: RunResult[], checkpoints: number[]): SummaryRow[] {
  const groups = new Map<string, RunResult[]>();
  for (const r of results) {
    const key = `${r.fn}|${r.algorithm}|${r.budget}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const rows: SummaryRow[] = [];
  for (const runs of groups.values()) {
    const { fn, algorithm, budget } = runs[0];
    for (const evaluations of checkpoints) {
      if (evaluations > budget) continue;
      const values = runs
        .map((r) => r.regret[evaluations])
        .filter((v) => v !== undefined)
        .sort((a, b) => a - b);
      const meanSuggestSeconds = runs.reduce((s, r) => s + r.suggestSeconds, 0) / runs.length / budget;
      rows.push({
        fn,
        algorithm,
        budget,
        evaluations,
        median: quantile(values, 0.5),
        q1: quantile(values, 0.25),
        q3: quantile(values, 0.75),
        runs: values.length,
        meanSuggestSeconds,
      });
    }
  }
  return rows;
}

const fmt = (v: number): string => (v === 0 ? '0' : Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 0.01 ? v.toPrecision(3) : v.toExponential(2));

/** A markdown table: one row per function, algorithm and budget; median [q1, q3] per checkpoint. */
export function formatTable(rows: SummaryRow[]): string {
  const checkpoints = [...new Set(rows.map((r) => r.evaluations))].sort((a, b) => a - b);
  const lines = [
    `| function | algorithm | budget | ${checkpoints.map((c) => `regret @${c}: median [IQR]`).join(' | ')} | s/suggestion |`,
    `|---|---|---|${checkpoints.map(() => '---').join('|')}|---|`,
  ];
  const keys = [...new Set(rows.map((r) => `${r.fn}|${r.algorithm}|${r.budget}`))];
  for (const key of keys) {
    const group = rows.filter((r) => `${r.fn}|${r.algorithm}|${r.budget}` === key);
    const { fn, algorithm, budget, meanSuggestSeconds } = group[0];
    const cells = checkpoints.map((c) => {
      const r = group.find((g) => g.evaluations === c);
      return r ? `${fmt(r.median)} [${fmt(r.q1)}, ${fmt(r.q3)}]` : '—';
    });
    lines.push(`| ${fn} | ${algorithm} | ${budget} | ${cells.join(' | ')} | ${meanSuggestSeconds.toFixed(4)} |`);
  }
  return lines.join('\n');
}
