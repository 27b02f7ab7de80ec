import { resolve } from 'node:path';
import { hpo, peek, serving } from '../support/cli-runner';
import { tempDir } from '../support/temp-dir';
import { sleep, until } from '../support/waiting';

const STEADY = resolve(__dirname, '../fixtures/objectives/steady.mjs');

const config = (name: string, maxTrials: number, parallelism: number) => ({
  name,
  objective: { metric: 'loss', direction: 'minimize' },
  space: { x: { type: 'float', low: -3, high: 3 } },
  search: { algorithm: 'random', seed: 5 },
  budget: { maxTrials, parallelism, trialTimeoutSec: 30 },
  trial: { kind: 'module', module: STEADY },
});

async function post(port: number, body: unknown): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/api/experiments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: number }).id;
}

async function finalState(port: number, id: number): Promise<string> {
  return until(
    async () => {
      const e = (await (await fetch(`http://127.0.0.1:${port}/api/experiments/${id}`)).json()) as { state: string };
      return e.state === 'RUNNING' ? undefined : e.state;
    },
    120_000,
    `experiment ${id} to end`,
  );
}

describe('one hpo serve process running several experiments (SQLite, worker threads)', () => {
  const tmp = tempDir('hpo-shared-');
  afterAll(() => tmp.cleanup());

  it('shares 2 slots among three experiments at parallelism 2: never more than two trials at once, all three under way from the start', async () => {
    const db = resolve(tmp.dir, 'slots.db');
    const server = await serving(['--db', 'slots.db', '--port', '0'], tmp.dir, { HPO_SLOTS: '2' });
    try {
      const ids = [await post(server.port, config('a', 12, 2)), await post(server.port, config('b', 12, 2)), await post(server.port, config('c', 12, 2))];
      const submitted = Date.now();
      let most = 0;
      const firstStart = new Map<number, number>();
      while (Date.now() - submitted < 120_000) {
        const rows = peek(db, (d) => d.prepare('SELECT experiment_id AS e, state FROM trial').all() as { e: number; state: string }[]) ?? [];
        most = Math.max(most, rows.filter((r) => r.state === 'RUNNING').length);
        for (const r of rows) if (r.state !== 'WAITING' && !firstStart.has(r.e)) firstStart.set(r.e, Date.now() - submitted);
        const done = rows.filter((r) => r.state === 'COMPLETE').length;
        if (done === 36) break;
        await sleep(25);
      }
      for (const id of ids) expect(await finalState(server.port, id)).toBe('COMPLETE');
      expect(most).toBe(2);
      // A trial takes about a third of a second: each experiment starts within a few of them, not after the others end.
      expect([...firstStart.keys()].sort()).toEqual(ids);
      for (const ms of firstStart.values()) expect(ms).toBeLessThan(3_000);
    } finally {
      await server.stop();
    }
  });

  it('follows `hpo update` from another process within a second, and refuses a budget below what already ran', async () => {
    const db = resolve(tmp.dir, 'update.db');
    const server = await serving(['--db', 'update.db', '--port', '0'], tmp.dir, { HPO_SLOTS: '4' });
    try {
      const id = await post(server.port, config('live', 400, 1));
      const running = () => peek(db, (d) => (d.prepare("SELECT COUNT(*) AS n FROM trial WHERE state = 'RUNNING'").get() as { n: number }).n) ?? 0;
      await until(() => (running() === 1 ? true : undefined), 30_000, 'the first trial');
      const refused = hpo(['update', String(id), '--max-trials', '1', '--db', 'update.db'], tmp.dir);
      expect(refused.status).toBe(2);
      expect(refused.stderr).toMatch(/already run \d+ trials: a new maxTrials must be more than that/);
      const bad = hpo(['update', String(id), '--parallelism', 'two', '--db', 'update.db'], tmp.dir);
      expect([bad.status, bad.stderr]).toEqual([2, expect.stringContaining('--parallelism')]);
      const changed = hpo(['update', String(id), '--parallelism', '3', '--max-trials', '30', '--json', '--db', 'update.db'], tmp.dir);
      expect(changed.status).toBe(0);
      expect(JSON.parse(changed.stdout)).toMatchObject({ id, spec: { budget: { parallelism: 3, maxTrials: 30 } } });
      const updated = Date.now();
      await until(() => (running() === 3 ? true : undefined), 5_000, 'three trials at once');
      expect(Date.now() - updated).toBeLessThan(2_000);
      expect(await finalState(server.port, id)).toBe('COMPLETE');
      const counted = peek(db, (d) => (d.prepare("SELECT COUNT(*) AS n FROM trial WHERE state = 'COMPLETE' AND interrupted = 0").get() as { n: number }).n);
      expect(counted).toBe(30);
    } finally {
      await server.stop();
    }
  });

  it('stops gracefully on SIGTERM: running trials finish within the grace, and another process adopts at once rather than after the lease', async () => {
    const db = resolve(tmp.dir, 'term.db');
    // A lease far longer than the test: only a released experiment can move this fast.
    const env = { HPO_LEASE_SEC: '120', HPO_STOP_GRACE_SEC: '10' };
    const first = await serving(['--db', 'term.db', '--port', '0'], tmp.dir, env);
    const id = await post(first.port, config('term', 16, 2));
    const rows = () =>
      peek(db, (d) => d.prepare('SELECT number, state, error, interrupted FROM trial ORDER BY number').all() as Record<string, unknown>[]) ?? [];
    await until(
      () => (rows().filter((r) => r.state === 'COMPLETE').length >= 2 && rows().some((r) => r.state === 'RUNNING') ? true : undefined),
      30_000,
      'progress',
    );
    const exited = new Promise<number | null>((r) => first.child.once('exit', (code) => r(code)));
    first.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // Trials of ~0.35 s finished inside the 10 s grace: none was interrupted, none is left RUNNING.
    expect(rows().filter((r) => r.state === 'RUNNING' || r.interrupted)).toEqual([]);
    expect(first.stderr()).toMatch(/stopping/i);
    const restarted = Date.now();
    const second = await serving(['--db', 'term.db', '--port', '0'], tmp.dir, env);
    try {
      await until(() => (rows().some((r) => r.state === 'RUNNING') ? true : undefined), 10_000, 'the adoption');
      expect(Date.now() - restarted).toBeLessThan(6_000);
      expect(await finalState(second.port, id)).toBe('COMPLETE');
      const all = rows();
      expect(all.map((r) => r.number)).toEqual(all.map((_, i) => i + 1));
      expect(all.filter((r) => r.state === 'COMPLETE')).toHaveLength(16);
    } finally {
      await second.stop();
    }
  });
});
