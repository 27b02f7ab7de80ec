import { resolve } from 'node:path';
import request from 'supertest';
import { eventually, openHttpApp } from '../support/http-fixture';

// No type declarations ship with it: a metric family has a name, a type and its samples.
type Sample = { labels?: Record<string, string>; value?: string; buckets?: Record<string, string>; count?: string; sum?: string };
type Family = { name: string; help: string; type: string; metrics: Sample[] };
const parsePrometheus: (text: string) => Family[] = require('parse-prometheus-text-format');

const QUADRATIC = resolve(__dirname, '../fixtures/objectives/quadratic.js');

describe('metrics and health', () => {
  let ctx: Awaited<ReturnType<typeof openHttpApp>>;
  const http = () => request(ctx.app.getHttpServer());
  beforeAll(async () => (ctx = await openHttpApp()));
  afterAll(async () => ctx.close());

  it('serves /metrics in Prometheus text format with the service counters, no per-trial or per-id labels', async () => {
    const config = {
      name: 'metrics-quadratic',
      objective: { metric: 'loss', direction: 'minimize' },
      space: { x: { type: 'float', low: -5, high: 5 }, k: { type: 'int', low: 1, high: 5 } },
      search: { algorithm: 'sobol', seed: 2 },
      budget: { maxTrials: 8, parallelism: 2, trialTimeoutSec: 20 },
      pruning: { algorithm: 'median', settings: { minTrials: 1, warmupSteps: 0 } },
      trial: { kind: 'module', module: QUADRATIC },
    };
    const created = await http().post('/api/experiments').send(config);
    expect(created.status).toBe(201);
    const id = created.body.id;
    await eventually(async () => ((await http().get(`/api/experiments/${id}`)).body.state === 'COMPLETE' ? true : undefined));
    await http().get('/api/experiments/12345').expect(404);

    const res = await http().get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    // The parser throws on any line outside the format; it keeps labels of counters and gauges only, so histogram counts are read from their `_count` lines.
    const families = new Map(parsePrometheus(res.text).map((f) => [f.name, f]));
    const counts = (name: string) =>
      [...res.text.matchAll(new RegExp(`^${name}_count\\{(.*)\\} (\\S+)$`, 'gm'))].map(([, labels, value]) => ({
        labels: Object.fromEntries([...labels.matchAll(/(\w+)="([^"]*)"/g)].map(([, k, v]) => [k, v])),
        value,
      }));
    const sum = (name: string, match: Record<string, string> = {}) =>
      (families.get(name)?.type === 'HISTOGRAM' ? counts(name) : (families.get(name)?.metrics ?? []))
        .filter((m) => Object.entries(match).every(([k, v]) => m.labels?.[k] === v))
        .reduce((s, m) => s + Number(m.value), 0);

    expect(sum('hpo_trials_finished_total', { algorithm: 'sobol' })).toBe(8);
    expect(families.get('hpo_trials_finished_total')!.type).toBe('COUNTER');
    expect(sum('hpo_trial_duration_seconds', { algorithm: 'sobol' })).toBe(8);
    expect(families.get('hpo_trial_duration_seconds')!.type).toBe('HISTOGRAM');
    expect(sum('hpo_suggestion_duration_seconds', { algorithm: 'sobol' })).toBeGreaterThanOrEqual(1);
    // Every report of the objective metric is judged: 8 trials × up to 3 steps, pruned ones stop early.
    const decisions = sum('hpo_pruner_decisions_total', { pruner: 'median' });
    expect(decisions).toBeGreaterThanOrEqual(8);
    expect(decisions).toBeLessThanOrEqual(24);
    // A pruned trial is judged again on any report it still sends before it stops.
    expect(sum('hpo_trials_finished_total', { state: 'PRUNED' })).toBeGreaterThan(0);
    expect(sum('hpo_pruner_decisions_total', { decision: 'prune' })).toBeGreaterThanOrEqual(sum('hpo_trials_finished_total', { state: 'PRUNED' }));
    expect(sum('hpo_trials_running')).toBe(0);
    expect(families.has('hpo_slot_queue_depth')).toBe(true);
    expect(families.has('hpo_trial_retries_total')).toBe(true);
    expect(families.has('nodejs_eventloop_lag_seconds')).toBe(true);
    // Routes by pattern: the experiment id is not a label value.
    expect(sum('hpo_http_requests_total', { route: '/api/experiments/:id', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(sum('hpo_http_requests_total', { route: '/api/experiments/:id', status: '404' })).toBe(1);
    expect(sum('hpo_http_request_duration_seconds', { route: '/api/experiments', method: 'POST' })).toBe(1);
    for (const family of families.values())
      for (const m of family.metrics) for (const v of Object.values(m.labels ?? {})) expect(v).not.toMatch(new RegExp(`/${id}\\b|12345`));
  });

  it('counts predictions by model name only', async () => {
    await http()
      .post('/api/models/nope/predict')
      .send({ instances: [[1]] });
    const families = parsePrometheus((await http().get('/metrics')).text);
    expect(families.find((f) => f.name === 'hpo_predictions_total')?.metrics ?? []).toEqual([]);
  });

  it('answers /health/live, and /health/ready while the database answers and 503 once it does not', async () => {
    expect((await http().get('/health/live').expect(200)).body).toEqual({ status: 'ok' });
    expect((await http().get('/health/ready').expect(200)).body).toEqual({ status: 'ok', checks: { database: { status: 'up' } } });
    await http().get('/api/health/live').expect(404);
    await ctx.context.store.close();
    const down = await http().get('/health/ready').expect(503);
    expect(down.body).toMatchObject({ status: 'unavailable', checks: { database: { status: 'down' } } });
    expect((await http().get('/health/live')).status).toBe(200);
  });
});
