import { createServer, request, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { hpo, serving } from '../support/cli-runner';
import { describePostgres, postgresTarget, TestTarget } from '../support/storage-targets';
import { tempDir } from '../support/temp-dir';
import { sleep } from '../support/waiting';

const IRIS = resolve(__dirname, '../../experiments/data/iris.csv');
const ROW = { instances: [[5.1, 3.5, 1.4, 0.2]] };

/** A small round-robin HTTP load balancer in front of the replicas' ports, as nginx or HAProxy would be. */
function loadBalancer(ports: number[]): Promise<Server> {
  let next = 0;
  const server = createServer((req, res) => {
    const port = ports[next++ % ports.length];
    const upstream = request({ host: '127.0.0.1', port, path: req.url, method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

async function predict(port: number): Promise<{ status: number; version?: number }> {
  const res = await fetch(`http://127.0.0.1:${port}/api/models/iris-replicas/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ROW),
  });
  return { status: res.status, version: res.ok ? ((await res.json()) as { version: number }).version : undefined };
}

describePostgres('serving replicas: hpo serve --role serving on one PostgreSQL database behind a load balancer', () => {
  const tmp = tempDir('hpo-replicas-');
  let db: TestTarget;
  const replicas: Awaited<ReturnType<typeof serving>>[] = [];
  let lb: Server;

  beforeAll(async () => {
    db = await postgresTarget();
    const url = (db.target as { url: string }).url;
    const env = { HPO_HOME: tmp.dir, HPO_STOP_GRACE_SEC: '1' };
    const config = {
      name: 'replicas',
      objective: { metric: 'val_accuracy', direction: 'maximize' },
      space: { learning_rate: { type: 'float', low: 0.01, high: 0.1, log: true } },
      search: { algorithm: 'random', seed: 2 },
      budget: { maxTrials: 2, parallelism: 2, trialTimeoutSec: 120 },
      trial: { kind: 'tfjs', task: 'classification', model: 'mlp', dataset: { path: IRIS, target: 'species' }, epochs: 2 },
    };
    writeFileSync(resolve(tmp.dir, 'replicas.json'), JSON.stringify(config));
    expect(hpo(['run', 'replicas.json', '--db', url], tmp.dir, env).status).toBe(0);
    expect(hpo(['promote', 'replicas', '--model', 'iris-replicas', '--trial', '1', '--alias', 'production', '--db', url], tmp.dir, env).status).toBe(0);
    expect(hpo(['promote', 'replicas', '--model', 'iris-replicas', '--trial', '2', '--db', url], tmp.dir, env).status).toBe(0);
    for (let i = 0; i < 2; i++) replicas.push(await serving(['--db', url, '--port', '0', '--role', 'serving'], tmp.dir, env));
    lb = await loadBalancer(replicas.map((r) => r.port));
  }, 180_000);

  afterAll(async () => {
    await new Promise((r) => lb?.close(r));
    await Promise.all(replicas.map((r) => r.stop()));
    await db?.drop();
    tmp.cleanup();
  }, 30_000);

  it('an alias move made on one replica is served by both within a second, with no failed request through the balancer', async () => {
    const lbPort = (lb.address() as AddressInfo).port;
    for (const r of replicas) expect(await predict(r.port)).toEqual({ status: 200, version: 1 });
    const through: { status: number; version?: number }[] = [];
    let running = true;
    const traffic = (async () => {
      while (running) through.push(await predict(lbPort));
    })();
    await sleep(300);
    const moved = await fetch(`http://127.0.0.1:${replicas[0].port}/api/models/iris-replicas/aliases/production`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ version: 2 }),
    });
    expect(moved.status).toBe(200);
    const movedAt = Date.now();
    const seenAt: number[] = [];
    for (const r of replicas) {
      while ((await predict(r.port)).version !== 2 && Date.now() - movedAt < 5_000) await sleep(10);
      seenAt.push(Date.now() - movedAt);
    }
    await sleep(300);
    running = false;
    await traffic;
    expect(Math.max(...seenAt)).toBeLessThan(1_000);
    expect(through.length).toBeGreaterThan(10);
    expect(through.filter((r) => r.status !== 200)).toEqual([]);
    expect(through.at(-1)!.version).toBe(2);
  }, 60_000);

  it('a serving replica refuses to run experiments (409) and adopts none', async () => {
    const res = await fetch(`http://127.0.0.1:${replicas[1].port}/api/experiments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'x',
        objective: { metric: 'loss' },
        space: { x: { type: 'float', low: 0, high: 1 } },
        trial: { kind: 'module', module: IRIS },
      }),
    });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { message: string }).message).toMatch(/serving replica/);
    expect(replicas[1].stderr()).not.toMatch(/resumed experiments/);
  });
});
