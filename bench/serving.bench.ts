/**
 * Serving throughput and latency: `POST /api/models/:name/predict` under load from a second
 * process (autocannon, forked), over loopback, at concurrency 1, 16 and 64, with single-row and
 * 64-row requests, for an iris and a wine model; and the cold load time of a version (read,
 * verify SHA-256, build on wasm). Run: `npm run build && node dist/bench/serving.bench.js [--duration S]`.
 */
import { fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { createHttpApp } from '../src/api/http-server';
import { readServiceSettings } from '../src/config/service-settings';
import { openServiceContext, ServiceContext } from '../src/context/service-context';
import { columnIndex, readCsvTable } from '../src/models/data/csv-table';
import { machine, median, writeResult } from './bench-io';
import { LoadJob, LoadResult } from './serving-load';
import { tempDir } from './serving-temp';

const DATA = resolve(__dirname, '../../experiments/data');
const MODELS = [
  { name: 'iris', file: 'iris.csv', target: 'species' },
  { name: 'wine', file: 'wine.csv', target: 'cultivar' },
] as const;
const CONCURRENCY = [1, 16, 64];
const ROWS = [1, 64];

interface Row extends LoadResult {
  model: string;
  rows: number;
  connections: number;
  rowsPerSec: number;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

/** Trains and promotes one model (one trial, 30 epochs), resolving to its version number. */
async function promote(ctx: ServiceContext, m: (typeof MODELS)[number]): Promise<number> {
  const record = await ctx.experiments.create(
    {
      name: `serve-${m.name}`,
      objective: { metric: 'val_accuracy', direction: 'maximize' },
      space: { learning_rate: { type: 'categorical', values: [0.01] } },
      search: { algorithm: 'random', seed: 1 },
      budget: { maxTrials: 1, parallelism: 1 },
      trial: {
        kind: 'tfjs',
        task: 'classification',
        model: 'mlp',
        dataset: { path: join(DATA, m.file), target: m.target, validation: { fraction: 0.2, seed: 1 } },
        epochs: 30,
      },
      registry: { model: m.name, alias: 'production' },
    },
    DATA,
  );
  await ctx.experiments.waitFor(record.id);
  return ctx.registry.resolveAlias(m.name, 'production');
}

/** Feature rows of a dataset (target dropped), as a request body of `n` rows. */
async function bodyOf(m: (typeof MODELS)[number], n: number): Promise<string> {
  const table = await readCsvTable(join(DATA, m.file));
  const t = columnIndex(table, m.target);
  const rows = Array.from({ length: n }, (_, i) => table.rows[(i * 7) % table.rows.length].filter((_, j) => j !== t));
  return JSON.stringify({ instances: rows });
}

function load(job: LoadJob): Promise<LoadResult> {
  return new Promise((done, fail) => {
    const child = fork(join(__dirname, 'serving-load.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (r) => done(r as LoadResult));
    child.once('exit', (code) => code !== 0 && fail(new Error(`load process exited with ${code}`)));
    child.send(job);
  });
}

async function main(): Promise<void> {
  const durationSec = arg('--duration', 5);
  const tmp = tempDir();
  const ctx = await openServiceContext(readServiceSettings({ db: join(tmp.dir, 'hpo.db') }, {}));
  const app = await createHttpApp(ctx, ['error']);
  try {
    const versions: Record<string, number> = {};
    for (const m of MODELS) versions[m.name] = await promote(ctx, m);
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer().address() as { port: number }).port;

    // Cold = not in the model cache: read the files, verify SHA-256, build on wasm (the backend itself is already up).
    const coldLoads: Record<string, { medianMs: number; maxMs: number; runs: number[] }> = {};
    for (const m of MODELS) {
      const runs: number[] = [];
      for (let i = 0; i < 7; i++) {
        ctx.serving.clearCache();
        runs.push(await ctx.serving.warm(m.name, versions[m.name]));
      }
      coldLoads[m.name] = { medianMs: median(runs), maxMs: Math.max(...runs), runs };
    }
    const loadBefore = loadavg();

    const rows: Row[] = [];
    for (const m of MODELS) {
      for (const n of ROWS) {
        const body = await bodyOf(m, n);
        for (const c of CONCURRENCY) {
          const r = await load({ url: `http://127.0.0.1:${port}/api/models/${m.name}/predict`, body, connections: c, durationSec });
          rows.push({ model: m.name, rows: n, connections: c, ...r, rowsPerSec: r.requestsPerSec * n });
          process.stderr.write(`${m.name} rows=${n} c=${c}: ${r.requestsPerSec.toFixed(0)} req/s p50 ${r.p50Ms} ms p99 ${r.p99Ms} ms\n`);
        }
      }
    }
    printTable(rows, coldLoads);
    const loadAverage = { before: loadBefore.map((x) => +x.toFixed(2)), after: loadavg().map((x) => +x.toFixed(2)) };
    console.log(`load average (1, 5, 15 min) before ${loadAverage.before.join(' ')}, after ${loadAverage.after.join(' ')}`);
    const file = writeResult('serving', { machine: machine(), durationSec, loadAverage, versions, coldLoads, rows });
    console.log(`\nJSON: ${file}`);
  } finally {
    await app.close();
    await ctx.close();
    tmp.cleanup();
  }
}

function printTable(rows: Row[], cold: Record<string, { medianMs: number; maxMs: number }>): void {
  console.log('| model | rows/request | concurrency | requests/s | rows/s | p50 ms | p99 ms | errors + non-2xx |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.model} | ${r.rows} | ${r.connections} | ${r.requestsPerSec.toFixed(0)} | ${r.rowsPerSec.toFixed(0)} | ${r.p50Ms} | ${r.p99Ms} | ${r.errors + r.non2xx} |`,
    );
  }
  for (const m of MODELS) {
    const single = rows.find((r) => r.model === m.name && r.rows === 1 && r.connections === 16)!;
    const batched = rows.find((r) => r.model === m.name && r.rows === 64 && r.connections === 16)!;
    console.log(
      `${m.name}: batching ×${(batched.rowsPerSec / single.rowsPerSec).toFixed(1)} rows/s at concurrency 16; cold load ${cold[m.name].medianMs.toFixed(1)} ms median of 7 (max ${cold[m.name].maxMs.toFixed(1)} ms)`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
