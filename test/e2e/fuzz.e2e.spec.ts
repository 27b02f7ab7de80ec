import request from 'supertest';
import { fuzz, violations } from '../../bench/fuzz/fuzz-routes';
import { openFuzzService } from '../../bench/fuzz/fuzz-service';

/** The seed of the fuzz run in `npm test`: fixed, so a failure is the same failure on every machine. */
const SEED = 20_261_201;
/** Requests in `npm test`; `npm run bench:fuzz` sends many more. */
const RUNS = Number(process.env.HPO_FUZZ_RUNS ?? 400);

describe('every route, fuzzed over HTTP', () => {
  let service: Awaited<ReturnType<typeof openFuzzService>>;
  const http = () => request(service.target.server);
  beforeAll(async () => (service = await openFuzzService()), 120_000);
  afterAll(async () => service?.close());

  it('refuses what the issue found, each with a 400 naming the field', async () => {
    const config = service.target.validConfig;
    const proto = await http()
      .post('/api/experiments')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(config).replace('"space":{', '"space":{"__proto__":{"type":"float","low":0,"high":1},'))
      .expect(400);
    expect(proto.body.problems).toEqual([{ path: 'space.__proto__', message: expect.stringMatching(/reserved name/) }]);
    const metric = await http()
      .post('/api/experiments')
      .send({ ...config, objective: { metric: 'constructor', direction: 'minimize' } })
      .expect(400);
    expect(metric.body.problems).toEqual([{ path: 'objective.metric', message: expect.stringMatching(/reserved name/) }]);
    for (const limit of ['0x10', '1e3', ' 5', '+5', '5.0', '-1']) {
      const res = await http()
        .get(`/api/experiments?limit=${encodeURIComponent(limit)}`)
        .expect(400);
      expect(res.body.problems).toEqual([{ path: 'query.limit', message: expect.stringMatching(/decimal digits/) }]);
    }
    expect((await http().get('/api/experiments?limit[]=').expect(400)).body.problems[0].path).toBe('query."limit[]"');
    expect((await http().get('/api/experiments?limit=16').expect(200)).body.total).toBe(2);
  });

  it('refuses at predict a value that is not finite once preprocessed, naming the feature', async () => {
    const row = { sepal_length_cm: 1e308, sepal_width_cm: 3, petal_length_cm: 1.4, petal_width_cm: 0.2 };
    const res = await http()
      .post('/api/models/iris/predict')
      .send({ instances: [row, { ...row, sepal_length_cm: 5 }] })
      .expect(400);
    expect(res.body.problems).toEqual([{ path: 'instances[0].sepal_length_cm', message: expect.stringMatching(/not a finite number once standardised/) }]);
    await http()
      .post('/api/models/iris/predict')
      .send({ instances: [{ ...row, sepal_length_cm: 5 }] })
      .expect(200);
  });

  it('tells a violation when it sees one (the checks can fail)', () => {
    const roots = ['/srv/data'];
    expect(violations({ status: 500, text: '{}' }, roots)).toEqual(['status 500']);
    expect(violations({ status: 400, text: 'Error: x\n    at f (/app/dist/x.js:1:2)' }, roots)).toContain('a stack trace');
    expect(violations({ status: 400, text: '{"message":"no column in /etc/shadow"}' }, roots)).toEqual(['a path outside the roots: /etc/shadow']);
    expect(violations({ status: 400, text: '{"message":"file not found: /srv/data/x.csv"}' }, roots)).toEqual([]);
    expect(violations({ status: 400, text: '{"message":"got \\"/etc/x\\""}' }, roots, '{"a": "/etc/x"}')).toEqual([]);
  });

  it(`answers ${RUNS} fuzzed requests (JSON and YAML bodies) with no 5xx, no stack trace and no path outside the roots`, async () => {
    const report = await fuzz(service.target, SEED, RUNS);
    console.log(`fuzz: ${JSON.stringify(report)}`);
    expect(report.failure).toBeUndefined();
    expect(report.runs).toBe(RUNS);
    // The run reached past validation too: some requests succeeded, some were refused.
    expect(Object.keys(report.byStatus).some((s) => s.startsWith('2'))).toBe(true);
    expect(report.byStatus['400']).toBeGreaterThan(0);
  }, 300_000);
});
