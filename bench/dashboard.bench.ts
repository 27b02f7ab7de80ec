/**
 * The experiment page at scale: one experiment of 10,000 or 100,000 trials among 50 experiments,
 * served by the real service on a SQLite file and loaded in Debian's headless Chromium. Measures
 * the server time and payload of each request the page makes (the first, cold one and the median
 * of warm ones), the time until the page's first plot and until every panel is drawn (cold, right
 * after the service started and began reading the experiment ahead; cold on a service that did
 * not read it ahead, so the visit waits for the first read; and warm), the first read of the
 * columns on its own with the longest the event loop was held meanwhile, the time a zoom and a
 * brush take to redraw, and the memory of the page and of the service.
 * Run: `npm run build && npm run bench:dashboard [-- --trials 10000,100000]`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium, Page } from 'playwright-core';
import { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createHttpApp, openHttpFrontDoor } from '../src/api/http-server';
import { DashboardService } from '../src/trials/dashboard/dashboard.service';
import { readServiceSettings } from '../src/config/service-settings';
import { openServiceContext } from '../src/context/service-context';
import { machine, median, writeResult } from './bench-io';
import { seedExperiment } from './dashboard-seed';

const CHROMIUM = process.env.HPO_CHROMIUM ?? '/usr/bin/chromium';
const OTHER_EXPERIMENTS = 49;
const WARM_CALLS = 5;

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};

/** What the page exposes for timing (see web/src/charts.ts). */
interface PageGlobals {
  hpoChart(id: string): { dispatchAction(a: unknown): void; on(e: string, f: () => void): void; off(e: string): void };
  document: { getElementById(id: string): { textContent: string | null } | null };
  performance: { now(): number; memory: { usedJSHeapSize: number } };
}

/** Times one redraw: the action is dispatched in the page and the chart reports it rendered. */
async function redrawMs(page: Page, chartId: string, action: Record<string, unknown>): Promise<number> {
  return page.evaluate(
    ([id, a]) =>
      new Promise<number>((resolve) => {
        const g = globalThis as unknown as PageGlobals;
        const c = g.hpoChart(id as string);
        const t0 = g.performance.now();
        c.on('finished', () => {
          c.off('finished');
          resolve(g.performance.now() - t0);
        });
        c.dispatchAction(a);
      }),
    [chartId, action] as const,
  );
}

async function measure(trials: number) {
  const dir = mkdtempSync(join(tmpdir(), 'hpo-bench-dashboard-'));
  const db = join(dir, 'hpo.db');
  const seedStart = performance.now();
  const id = await seedExperiment(db, `big-${trials}`, trials);
  for (let k = 0; k < OTHER_EXPERIMENTS; k++) await seedExperiment(db, `small-${k}`, 50, k + 2);
  const seedSec = (performance.now() - seedStart) / 1000;
  const context = await openServiceContext(readServiceSettings({ db }, {}));
  const server = await openHttpFrontDoor(context, 0, '127.0.0.1');
  const base = `http://127.0.0.1:${server.port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--enable-precise-memory-info'] });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const bytes = { api: 0, assets: 0 };
  page.on('response', async (res) => {
    const body = await res.body().catch(() => Buffer.alloc(0));
    if (new URL(res.url()).pathname.startsWith('/api/')) bytes.api += body.length;
    else bytes.assets += body.length;
  });
  const load = async (on = page, at = base) => {
    bytes.api = bytes.assets = 0;
    const t0 = performance.now();
    await on.goto(`${at}/#/experiments/${id}`);
    await on.waitForFunction(() => ((globalThis as unknown as PageGlobals).document.getElementById('history-note')?.textContent ?? '') !== '', undefined, {
      timeout: 60_000,
    });
    const firstPlotMs = performance.now() - t0;
    await on.waitForSelector('#app[data-ready=true]', { timeout: 60_000 });
    return { firstPlotMs, readyMs: performance.now() - t0, apiBytes: bytes.api, assetBytes: bytes.assets };
  };
  const cold = await load();
  await page.goto('about:blank');
  const warm = await load();
  // The service's heap with the experiment's columns, before the bench opens a second service and reads them again.
  global.gc?.();
  const serverHeapMb = process.memoryUsage().heapUsed / 2 ** 20;
  // A second service on the same database, which has not read the experiment ahead (as for one past
  // the newest few): its first visit waits for the first read. A browser context of its own, cache empty.
  const other = await openServiceContext(readServiceSettings({ db }, {}));
  const otherApp = await createHttpApp(other, ['error', 'warn'], '127.0.0.1');
  await otherApp.listen(0, '127.0.0.1');
  const otherPage = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
  const coldUnread = await load(otherPage, `http://127.0.0.1:${(otherApp.getHttpServer().address() as AddressInfo).port}`);
  await otherApp.close();
  await other.close();
  const zoom: number[] = [],
    brush: number[] = [];
  for (let k = 0; k < 5; k++) {
    zoom.push(await redrawMs(page, 'history-chart', { type: 'dataZoom', start: 10 + k * 10, end: 30 + k * 10 }));
    brush.push(
      await redrawMs(page, 'parallel-chart', {
        type: 'axisAreaSelect',
        parallelAxisId: undefined,
        parallelAxisIndex: 0,
        intervals: [[-2 + k * 0.5, 1 + k * 0.5]],
      }),
    );
  }
  const pageHeapMb = (await page.evaluate(() => (globalThis as unknown as PageGlobals).performance.memory.usedJSHeapSize)) / 2 ** 20;
  await browser.close();

  const routes: Record<string, string> = {
    experiments: '/api/dashboard/experiments',
    overview: `/api/experiments/${id}/overview`,
    changes: `/api/experiments/${id}/changes?since=${((await (await fetch(`${base}/api/experiments/${id}/overview`)).json()) as { version: number }).version}`,
    table: `/api/experiments/${id}/table?sort=value&order=asc&offset=${Math.floor(trials / 2)}&limit=80`,
    contour: `/api/experiments/${id}/contour?x=x&y=lr`,
    importance: `/api/experiments/${id}/importance`,
    fanova: `/api/experiments/${id}/importance?method=fanova`,
    curves: `/api/experiments/${id}/curves`,
  };
  const requests: Record<string, { firstMs: number; medianMs: number; bytes: number }> = {};
  for (const [name, path] of Object.entries(routes)) {
    const times: number[] = [];
    let size = 0;
    for (let k = 0; k <= WARM_CALLS; k++) {
      const t0 = performance.now();
      const res = await fetch(`${base}${path}`);
      size = (await res.arrayBuffer()).byteLength;
      times.push(performance.now() - t0);
    }
    requests[name] = { firstMs: times[0], medianMs: median(times.slice(1)), bytes: size };
  }
  // The first read of the columns on its own, as a service that has not read the experiment ahead
  // does it, and the longest the event loop was held meanwhile (it reads in chunks).
  const fresh = new DashboardService(context.store, context.experiments);
  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
  const readStart = performance.now();
  await fresh.columns(id);
  const firstReadMs = performance.now() - readStart;
  lag.disable();
  const firstReadMaxBlockMs = lag.max / 1e6;
  await server.close();
  await context.close();
  rmSync(dir, { recursive: true, force: true });
  return {
    trials,
    seedSec,
    cold,
    coldUnread,
    warm,
    firstReadMs,
    firstReadMaxBlockMs,
    zoomMs: median(zoom),
    brushMs: median(brush),
    pageHeapMb,
    serverHeapMb,
    requests,
  };
}

async function main(): Promise<void> {
  const sizes = arg('trials', '10000,100000').split(',').map(Number);
  const results = [];
  for (const n of sizes) results.push(await measure(n));
  const f = (x: number) => x.toFixed(0).padStart(7);
  console.log('trials   first plot cold/unread/warm ms    all panels cold/unread/warm ms   api KB cold   zoom ms   brush ms   page heap MB   service heap MB');
  for (const r of results)
    console.log(
      `${String(r.trials).padStart(6)}   ${f(r.cold.firstPlotMs)} /${f(r.coldUnread.firstPlotMs)} /${f(r.warm.firstPlotMs)}   ${f(r.cold.readyMs)} /${f(r.coldUnread.readyMs)} /${f(r.warm.readyMs)}    ${f(r.cold.apiBytes / 1024)}    ${f(r.zoomMs)}   ${f(r.brushMs)}   ${f(r.pageHeapMb)}        ${f(r.serverHeapMb)}`,
    );
  console.log('\nfirst read of the columns (ms), longest event-loop block meanwhile (ms)');
  for (const r of results) console.log(`${String(r.trials).padStart(6)}  ${f(r.firstReadMs)}  ${f(r.firstReadMaxBlockMs)}`);
  console.log('\nrequest (first / median of warm ms, bytes)');
  for (const r of results)
    for (const [name, q] of Object.entries(r.requests))
      console.log(`${String(r.trials).padStart(6)}  ${name.padEnd(11)} ${f(q.firstMs)} / ${f(q.medianMs)}   ${q.bytes}`);
  console.log(`\nwritten to ${writeResult('dashboard', { machine: machine(), otherExperiments: OTHER_EXPERIMENTS, results })}`);
}

void main();
