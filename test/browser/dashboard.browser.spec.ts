import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { openHttpFrontDoor } from '../../src/api/http-server';
import { readServiceSettings } from '../../src/config/service-settings';
import { openServiceContext, ServiceContext } from '../../src/context/service-context';
import { seedExperiment } from '../../bench/dashboard-seed';
import { tempDir } from '../support/temp-dir';

/** Debian's Chromium (`.ci/run` installs it when missing); nothing is downloaded. */
const CHROMIUM = process.env.HPO_CHROMIUM ?? '/usr/bin/chromium';
const IRIS = resolve(__dirname, '../../experiments/data/iris.csv');
const SLOW = resolve(__dirname, '../fixtures/objectives/slow.mjs');
/** Where screenshots of each page go when asked (`HPO_SCREENSHOTS=docs/screenshots`). */
const SHOTS = process.env.HPO_SCREENSHOTS;

const iris = (name: string, epochs: number, force: boolean, variants: Record<string, unknown>) => ({
  name,
  objective: { metric: 'val_accuracy', direction: 'maximize' },
  space: { learning_rate: { type: 'categorical', values: [0.05] }, optimizer: { type: 'categorical', values: ['adam'] } },
  search: { algorithm: 'random', seed: 3 },
  budget: { maxTrials: 1, parallelism: 1, trialTimeoutSec: 60 },
  trial: {
    kind: 'tfjs',
    task: 'classification',
    model: 'mlp',
    dataset: { path: IRIS, target: 'species', validation: { fraction: 0.2, seed: 1 } },
    epochs,
    batchSize: 16,
  },
  registry: { model: 'iris', alias: 'production', force, ...variants },
});

/** The page's globals as functions run in the page see them (this file compiles without the DOM library). */
type PageWindow = { document: { querySelector(s: string): { textContent: string | null } | null }; localStorage: { clear(): void }; marker?: number };

/** The dashboard in a real headless Chromium, through the real service on a real SQLite file. */
describe('the dashboard in Chromium', () => {
  let tmp: ReturnType<typeof tempDir>;
  let context: ServiceContext;
  let server: { port: number; close(): Promise<void> };
  let browser: Browser;
  let page: Page;
  let base: string;
  let seeded: number;
  const problems: string[] = [];

  const call = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${base}${path}`, { ...init, headers: { 'Content-Type': 'application/json', ...(init.headers ?? {}) } });
    return { status: res.status, body: (await res.json()) as any };
  };
  const open = async (route: string) => {
    await page.goto(`${base}/#${route}`);
    await page.waitForSelector('#app[data-ready=true]', { timeout: 30_000 });
  };
  const shoot = async (name: string) => {
    if (!SHOTS) return;
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  };

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (.ci/run does)`);
    tmp = tempDir('hpo-browser-');
    const db = join(tmp.dir, 'hpo.db');
    context = await openServiceContext(readServiceSettings({ db }, {}));
    seeded = await seedExperiment(db, 'seeded-5k', 5000);
    // Version 1 is quantized; version 2 is trained, and version 3 a pruned variant of it with the alias `small`.
    for (const [name, epochs, variants] of [
      ['iris-first', 40, { quantize: 'uint8' }],
      ['iris-second', 5, { prune: { sparsity: 0.5, fineTuneEpochs: 1, alias: 'small' } }],
    ] as const) {
      const { id } = await context.experiments.create(iris(name, epochs, true, variants), process.cwd());
      await context.experiments.waitFor(id);
    }
    server = await openHttpFrontDoor(context, 0, '127.0.0.1');
    base = `http://127.0.0.1:${server.port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await context?.close();
    tmp?.cleanup();
  });

  it('renders the experiments list with every experiment', async () => {
    await open('/');
    const rows = await page.locator('#experiments tbody tr').allTextContents();
    expect(rows.length).toBe(3);
    expect(rows.join('\n')).toMatch(/seeded-5k\s*COMPLETE\s*5000 \/ 5000/);
    await shoot('experiments');
  });

  it('renders an experiment of 5,000 trials: every plot drawn, downsampling said, the table windowed and sortable', async () => {
    await open(`/experiments/${seeded}`);
    for (const id of ['history', 'parallel', 'importance', 'slice', 'contour', 'curves', 'timeline'])
      expect(await page.locator(`#${id}-chart canvas`).count()).toBeGreaterThan(0);
    expect(await page.textContent('#summary')).toMatch(/5000 \/ 5000/);
    expect(await page.textContent('#app')).toMatch(/downsampled on the server: 2,000 of 4,\d{3} trials shown/);
    await page.waitForSelector('#trial-table .row');
    expect(await page.getAttribute('#trial-table', 'data-total')).toBe('5000');
    // Only a window of rows exists in the page.
    expect(await page.locator('#trial-table .row').count()).toBeLessThanOrEqual(80);
    await page.click('#trial-table [data-sort="value"]');
    await page.waitForFunction(() => (globalThis as unknown as PageWindow).document.querySelector('#trial-table .row [href]')?.textContent !== '5000');
    const values = (await page.locator('#trial-table .row .cell:nth-child(3)').allTextContents()).slice(0, 10).map(Number);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    await shoot('experiment');
  });

  it('renders a trial with its parameters, metrics, curve and artifact files', async () => {
    const iris1 = (await call('/api/experiments?limit=10')).body.items.find((e: { name: string }) => e.name === 'iris-first').id;
    await open(`/experiments/${iris1}/trials/1`);
    expect(await page.textContent('#final-metrics')).toMatch(/val_accuracy/);
    expect(await page.textContent('#trial-origin')).toBe('the sampler');
    const files = await page.locator('#trial-files tbody tr').allTextContents();
    expect(files.join(' ')).toMatch(/model\.json/);
    expect(await page.locator('#trial-curve canvas').count()).toBe(1);
    await shoot('trial');
  });

  it('renders the global leaderboard and compares experiment histories', async () => {
    await open('/leaderboard?metric=val_accuracy');
    expect(await page.locator('#global-leaderboard tbody tr').count()).toBe(2);
    expect(await page.locator('#compare-chart canvas').count()).toBe(1);
    await shoot('across-experiments');
  });

  it('moves an alias from the model page after a confirmation, and predictions follow it', async () => {
    await open('/models');
    expect(await page.textContent('#models')).toMatch(/iris\s*3\s*3\s*production → 2, small → 3/);
    await shoot('models');
    const predict = () => call('/api/models/iris/predict', { method: 'POST', body: JSON.stringify({ instances: [[5.1, 3.5, 1.4, 0.2]] }) });
    expect((await predict()).body.version).toBe(2);
    await open('/models/iris');
    // The variants as rows: what each is, its size, latency and metrics against what it was made from, and its aliases.
    const variant = async (version: number) => (await page.locator(`#variants tr[data-version="${version}"] td`).allTextContents()).map((t) => t.trim());
    expect(await page.locator('#variants tbody tr').count()).toBe(2);
    const [quantized, pruned] = [await variant(1), await variant(3)];
    expect(quantized.slice(0, 3)).toEqual(['1', 'quantized uint8', 'trial 1']);
    expect(quantized[3]).toMatch(/^[\d.]+ (B|KB) of [\d.]+ (B|KB) of weights \(×0\.\d+\)$/);
    expect(quantized[5]).toMatch(/^val_accuracy [\d.]+ \([+-][\d.e-]+ from [\d.]+\)$/);
    expect(pruned.slice(0, 3)).toEqual(['3', expect.stringMatching(/^pruned: sparsity 0\.5 \(\d+ % zeros\)$/), 'v2']);
    expect(pruned[4]).toMatch(/^[\d.]+ ms \(was [\d.]+ ms\)$/);
    expect(pruned[6]).toMatch(/val_accuracy [\d.]+/);
    expect(pruned[8]).toMatch(/^small/);
    expect(await page.textContent('#versions')).toMatch(/pruned from v2/);
    await shoot('model');
    // Roll production back from the quantized variant's row.
    await page.click('#variants tr[data-version="1"] button[data-point="production"]');
    await page.waitForSelector('form[data-confirm]');
    await shoot('model-rollback');
    await page.click('form[data-confirm] button[type="submit"]');
    await page.waitForFunction(() =>
      (globalThis as unknown as PageWindow).document.querySelector('#model-message')?.textContent?.includes('now points at version 1'),
    );
    expect((await predict()).body.version).toBe(1);
  });

  it('shows a running experiment’s new trials within two seconds, without a reload', async () => {
    const { body } = await call('/api/experiments', {
      method: 'POST',
      body: JSON.stringify({
        name: 'live',
        objective: { metric: 'loss', direction: 'minimize' },
        space: { x: { type: 'float', low: -2, high: 2 } },
        budget: { maxTrials: 12, parallelism: 1 },
        trial: { kind: 'module', module: SLOW },
      }),
    });
    await open(`/experiments/${body.id}`);
    await page.evaluate(() => ((globalThis as unknown as PageWindow).marker = 1));
    const count = async () => Number((await page.textContent('#trial-count'))!.split('/')[0]);
    // Each new trial, as it finishes in the service, shows on the page within two seconds (slow.mjs takes about a second a trial).
    for (let k = 0; k < 3; k++) {
      const before = await count();
      await page.waitForFunction(
        (n) => Number((globalThis as unknown as PageWindow).document.querySelector('#trial-count')!.textContent!.split('/')[0]) > n,
        before,
        { timeout: 10_000 },
      );
      const shownAt = Date.now();
      const trial = (await call(`/api/experiments/${body.id}/trials/${before + 1}`)).body;
      expect(trial.state).not.toBe('RUNNING');
      expect(shownAt - Date.parse(trial.finishedAt)).toBeLessThan(2_000);
    }
    expect(await page.evaluate(() => (globalThis as unknown as PageWindow).marker)).toBe(1);
    expect(await page.textContent('#live')).toMatch(/live: \d+ trials? changed/);
    expect(Number(await page.getAttribute('#trial-table', 'data-total'))).toBeGreaterThanOrEqual(3);
    await context.experiments.cancel(body.id);
  });

  it('asks for an API key once the service has keys, and sends it as a Bearer header from then on', async () => {
    const { key } = await context.keys.create('dashboard-reader', 'read');
    await new Promise((r) => setTimeout(r, 1_100)); // the service's open/closed answer is kept for a second
    const seen: (string | undefined)[] = [];
    const listen = (request: { url(): string; headers(): Record<string, string> }) => {
      if (request.url().includes('/api/dashboard/experiments')) seen.push(request.headers().authorization);
    };
    page.on('request', listen);
    await page.evaluate(() => (globalThis as unknown as PageWindow).localStorage.clear());
    await page.goto(`${base}/#/`);
    await page.waitForSelector('#key-form');
    await page.fill('#key-form input', key);
    await page.click('#key-form button[type="submit"]');
    await page.waitForSelector('#experiments tbody tr[data-experiment]');
    expect(seen.slice(0, 2)).toEqual([undefined, `Bearer ${key}`]);
    page.off('request', listen);
    await context.keys.revoke('dashboard-reader');
    // The console's 401 line is the one the test asked for.
    problems.splice(0, problems.length, ...problems.filter((p) => !p.includes('401')));
  });

  it('logged no console error on any page', () => {
    expect(problems).toEqual([]);
  });
});
