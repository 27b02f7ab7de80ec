import { realpathSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import request from 'supertest';
import { CONFIG_LIMITS } from '../../src/config/defaults';
import { openHttpApp } from '../support/http-fixture';
import { largestConfig } from '../support/largest-config';
import { tempDir } from '../support/temp-dir';

/**
 * The most the main thread may be held at once while the largest configs are submitted and run.
 * Alone on a quiet machine the worst block is about 55-62 ms and p99 about 20 ms (docs/BENCHMARKS.md,
 * "Security"); inside `npm test` other suites share the two cores with this one (seen: 196 ms), so
 * the bound leaves room for that while still failing the blocks it guards against (a 250 KB YAML
 * parsed on the main thread: 1.5 s; a large space searched there: seconds).
 */
const MAX_LAG_MS = 400;

/**
 * The bound on this machine now: lag is wall time, so when other processes hold the cores (a load
 * average past the core count) every block lasts longer by about that ratio, and so does the bound.
 */
function lagBound(): { ms: number; load: number } {
  const load = loadavg()[0] / cpus().length;
  return { ms: Math.round(MAX_LAG_MS * Math.max(1, load)), load: Math.round(load * 100) / 100 };
}

describe('bounded work per request', () => {
  const tmp = tempDir('hpo-lag-');
  const code = realpathSync(tmp.dir);
  const module = join(code, 'objective.js');
  let ctx: Awaited<ReturnType<typeof openHttpApp>>;
  const http = () => request(ctx.app.getHttpServer());

  beforeAll(async () => {
    writeFileSync(module, 'exports.objective = (params) => ({ loss: Object.keys(params).length });\n');
    ctx = await openHttpApp({ HPO_CODE_ROOTS: code });
  });
  afterAll(async () => {
    await ctx.close();
    tmp.cleanup();
  });

  it('keeps the event loop lag to tens of ms while the largest configs the limits allow are submitted and run', async () => {
    jest.setTimeout(120_000);
    const json = largestConfig(module, 'json');
    const yaml = largestConfig(module, 'yaml');
    const tpe = largestConfig(module, 'json', 'tpe');
    const over = `${json.text.slice(0, -1)}, "description": "${'x'.repeat(CONFIG_LIMITS.configBytes)}"}`;
    // What runs once per process (Nest's routing, the worker pools, lazily loaded modules) is warmed by a small experiment first: measured is what the large ones cost.
    const small = { ...json.config, name: 'warm-up', space: { p0: { type: 'categorical', values: ['a', 'b'] } }, budget: { maxTrials: 2, parallelism: 2 } };
    const warm = await http().post('/api/experiments').send(small).expect(201);
    await ctx.context.experiments.waitFor(warm.body.id);
    await http().post('/api/experiments').set('Content-Type', 'application/yaml').send('{').expect(400);

    const lag = monitorEventLoopDelay({ resolution: 5 });
    lag.enable();
    const started = Date.now();
    const ids: number[] = [];
    ids.push((await http().post('/api/experiments').set('Content-Type', 'application/json').send(json.text).expect(201)).body.id);
    ids.push((await http().post('/api/experiments').set('Content-Type', 'application/yaml').send(yaml.text).expect(201)).body.id);
    ids.push((await http().post('/api/experiments').set('Content-Type', 'application/json').send(tpe.text).expect(201)).body.id);
    const refused = await http().post('/api/experiments').set('Content-Type', 'application/json').send(over).expect(413);
    expect(refused.body.problems).toEqual([{ path: 'body', message: expect.stringMatching(/larger than \d+ bytes/) }]);
    // Meanwhile other requests are answered, and the experiments suggest and run their trials.
    const slowest = { ms: 0 };
    for (let asked = 0; asked < 20 || Date.now() - started < 6_000; asked++) {
      const t = Date.now();
      await http().get(`/api/experiments/${ids[0]}/trials?limit=5`).expect(200);
      slowest.ms = Math.max(slowest.ms, Date.now() - t);
    }
    lag.disable();
    for (const id of ids) await http().post(`/api/experiments/${id}/cancel`);
    const ms = (ns: number) => Math.round((ns / 1e6) * 10) / 10;
    const figures = {
      jsonBytes: json.text.length,
      yamlBytes: yaml.text.length,
      parameters: CONFIG_LIMITS.parameters,
      lagMaxMs: ms(lag.max),
      lagP99Ms: ms(lag.percentile(99)),
      lagMeanMs: ms(lag.mean),
      slowestOtherRequestMs: slowest.ms,
      loadPerCore: lagBound().load,
      boundMs: lagBound().ms,
    };
    console.log(`event-loop lag while the largest configs are submitted and run: ${JSON.stringify(figures)}`);
    const trials = await http().get(`/api/experiments/${ids[0]}/trials?limit=1`).expect(200);
    expect(trials.body.items.length).toBe(1);
    expect(figures.lagMaxMs).toBeLessThan(figures.boundMs);
  });
});
