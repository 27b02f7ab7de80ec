import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { peek, serving } from '../support/cli-runner';
import { describePostgres, postgresTarget, TestTarget } from '../support/storage-targets';
import { tempDir } from '../support/temp-dir';
import { sleep, until } from '../support/waiting';

const STEADY = resolve(__dirname, '../fixtures/objectives/steady.mjs');
const LEASE_SEC = 2;
/**
 * Recovery must take at most the lease plus one sweep (a third of the lease, at least 1 s), and a
 * process start: 4 s on a quiet machine, longer by the load past one per core, since starting Node
 * and the service is CPU work that other processes on the cores slow down (the lease does not stretch).
 */
const recoveryBoundMs = (): number => (LEASE_SEC + 1) * 1000 + Math.round(4_000 * Math.max(1, loadavg()[0] / cpus().length));
const ENV = { HPO_LEASE_SEC: String(LEASE_SEC) };

const config = (maxTrials: number) => ({
  name: 'kill-loop',
  objective: { metric: 'loss', direction: 'minimize' },
  space: { x: { type: 'float', low: -3, high: 3 } },
  search: { algorithm: 'random', seed: 21 },
  budget: { maxTrials, parallelism: 2, trialTimeoutSec: 30 },
  trial: { kind: 'module', module: STEADY },
});

type Row = { id: number; number: number; state: string; value: number | null; interrupted: number; started_at: number | null };

describe('a service killed with SIGKILL five times during one experiment (SQLite)', () => {
  const tmp = tempDir('hpo-kill-');
  afterAll(() => tmp.cleanup());

  it('completes it on its own, losing and changing no complete trial, each recovery within the lease and a sweep', async () => {
    const db = resolve(tmp.dir, 'kill.db');
    const trials = () =>
      peek(
        db,
        (d) => d.prepare('SELECT id, number, state, value, interrupted, started_at FROM trial WHERE experiment_id = 1 ORDER BY number').all() as Row[],
      ) ?? [];
    let server = await serving(['--db', 'kill.db', '--port', '0'], tmp.dir, ENV);
    const created = await fetch(`http://127.0.0.1:${server.port}/api/experiments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(config(40)),
    });
    expect(created.status).toBe(201);
    const kept = new Map<number, number | null>();
    const recoveries: { ms: number; bound: number }[] = [];
    for (let kill = 1; kill <= 5; kill++) {
      const doneBefore = trials().filter((t) => t.state === 'COMPLETE').length;
      await until(() => (trials().filter((t) => t.state === 'COMPLETE').length >= doneBefore + 3 ? true : undefined), 60_000, 'progress');
      for (const t of trials()) if (t.state === 'COMPLETE') kept.set(t.number, t.value);
      server.child.kill('SIGKILL');
      await new Promise((r) => server.child.once('exit', r));
      if (kill > 2) await sleep(LEASE_SEC * 1000 + 500); // restarted after the lease; the first two at once
      const restarted = Date.now();
      server = await serving(['--db', 'kill.db', '--port', '0'], tmp.dir, ENV);
      await until(() => (trials().some((t) => (t.started_at ?? 0) > restarted) ? true : undefined), 30_000, 'a trial to start after the restart');
      recoveries.push({ ms: Date.now() - restarted, bound: recoveryBoundMs() });
    }
    const final = await until(
      async () => {
        const e = (await (await fetch(`http://127.0.0.1:${server.port}/api/experiments/1`)).json()) as { state: string };
        return e.state === 'RUNNING' ? undefined : e;
      },
      90_000,
      'the experiment to end',
    );
    await server.stop();
    expect(final.state).toBe('COMPLETE');
    const rows = trials();
    expect(rows.map((t) => t.number)).toEqual(rows.map((_, i) => i + 1)); // unique and gap-free
    expect(rows.filter((t) => t.state === 'RUNNING' || t.state === 'WAITING')).toEqual([]);
    expect(rows.filter((t) => !t.interrupted && t.state === 'COMPLETE')).toHaveLength(40);
    for (const [number, value] of kept) expect(rows[number - 1]).toMatchObject({ state: 'COMPLETE', value });
    for (const { ms, bound } of recoveries) expect(ms).toBeLessThan(bound);
  });
});

describe('a service paused past its lease (SIGSTOP), then woken', () => {
  const tmp = tempDir('hpo-pause-');
  afterAll(() => tmp.cleanup());

  it("has the late reports and results of its attempts refused and logged; the adopter's records stand", async () => {
    const db = resolve(tmp.dir, 'pause.db');
    const read = <T>(sql: string) => peek(db, (d) => d.prepare(sql).all() as T[]) ?? [];
    const paused = await serving(['--db', 'pause.db', '--port', '0'], tmp.dir, ENV);
    const created = await fetch(`http://127.0.0.1:${paused.port}/api/experiments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...config(12), trial: { kind: 'module', module: resolve(__dirname, '../fixtures/objectives/slow.mjs') } }),
    });
    expect(created.status).toBe(201);
    await until(
      () => (read<{ n: number }>("SELECT COUNT(*) AS n FROM trial WHERE state = 'RUNNING'")[0]?.n === 2 ? true : undefined),
      30_000,
      'two running trials',
    );
    await sleep(300); // they have reported a few steps
    paused.child.kill('SIGSTOP');
    const adopter = await serving(['--db', 'pause.db', '--port', '0'], tmp.dir, ENV);
    try {
      await until(() => (read<{ n: number }>("SELECT COUNT(*) AS n FROM trial WHERE error = 'interrupted'")[0]?.n ? true : undefined), 30_000, 'the adoption');
      const stale = read<{ id: number }>("SELECT id FROM trial WHERE error = 'interrupted'").map((r) => r.id);
      paused.child.kill('SIGCONT');
      await until(() => (read<{ n: number }>('SELECT COUNT(*) AS n FROM trial_rejection')[0]?.n ? true : undefined), 30_000, 'refusals to be logged');
      const final = await until(
        async () => {
          const e = (await (await fetch(`http://127.0.0.1:${adopter.port}/api/experiments/1`)).json()) as { state: string };
          return e.state === 'RUNNING' ? undefined : e;
        },
        90_000,
        'the experiment to end',
      );
      expect(final.state).toBe('COMPLETE');
      const rejections = read<{ trial_id: number; attempt: number; kind: string }>('SELECT trial_id, attempt, kind FROM trial_rejection');
      expect(rejections.every((r) => stale.includes(r.trial_id) && r.attempt === 1)).toBe(true);
      expect(rejections.some((r) => r.kind === 'result')).toBe(true);
      for (const id of stale)
        expect(read<{ state: string; error: string }>(`SELECT state, error FROM trial WHERE id = ${id}`)[0]).toEqual({ state: 'FAILED', error: 'interrupted' });
      expect(read<{ n: number }>("SELECT COUNT(*) AS n FROM trial WHERE state = 'COMPLETE' AND interrupted = 0")[0].n).toBe(12);
    } finally {
      paused.child.kill('SIGKILL');
      await adopter.stop();
    }
  });
});

describePostgres('two live services sharing one PostgreSQL database', () => {
  const tmp = tempDir('hpo-pg-pair-');
  let target: TestTarget;
  beforeAll(async () => (target = await postgresTarget()));
  afterAll(async () => {
    await target?.drop();
    tmp.cleanup();
  });

  it('run an experiment on exactly one of them at a time; killing that one moves it to the other', async () => {
    const url = (target.target as { url: string }).url;
    const env = { ...ENV, HPO_HOME: resolve(tmp.dir, 'home') };
    const pg = new Client({ connectionString: url });
    await pg.connect();
    const first = await serving(['--db', url, '--port', '0'], tmp.dir, env);
    const second = await serving(['--db', url, '--port', '0'], tmp.dir, env);
    try {
      const created = await fetch(`http://127.0.0.1:${first.port}/api/experiments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(config(30)),
      });
      expect(created.status).toBe(201);
      const holders = async () => {
        const owner = (await pg.query('SELECT owner FROM experiment WHERE id = 1')).rows[0].owner as string | null;
        const workers = (await pg.query("SELECT DISTINCT worker FROM trial WHERE experiment_id = 1 AND state = 'RUNNING'")).rows.map((r) => r.worker as string);
        return { owner, workers };
      };
      const seen = new Set<string>();
      for (let i = 0; i < 15; i++) {
        const { owner, workers } = await holders();
        if (owner) seen.add(owner);
        for (const w of workers) expect(w).toBe(owner); // trials run only in the process that holds the experiment
        await sleep(100);
      }
      expect(seen.size).toBe(1);
      const original = [...seen][0];
      first.child.kill('SIGKILL');
      const killed = Date.now();
      const adopter = await until(
        async () => {
          const { owner } = await holders();
          return owner && owner !== original ? owner : undefined;
        },
        30_000,
        'the other service to adopt',
      );
      expect(Date.now() - killed).toBeLessThan((LEASE_SEC + 1) * 1000 + 2_000);
      const final = await until(
        async () => {
          const e = (await (await fetch(`http://127.0.0.1:${second.port}/api/experiments/1`)).json()) as { state: string };
          return e.state === 'RUNNING' ? undefined : e;
        },
        90_000,
        'the experiment to end',
      );
      expect(final.state).toBe('COMPLETE');
      const rows = (await pg.query('SELECT number, state, interrupted, worker FROM trial WHERE experiment_id = 1 ORDER BY number')).rows;
      expect(rows.map((r) => r.number)).toEqual(rows.map((_, i) => i + 1));
      expect(rows.filter((r) => !r.interrupted && r.state === 'COMPLETE')).toHaveLength(30);
      expect(rows.some((r) => r.worker === adopter)).toBe(true);
    } finally {
      first.child.kill('SIGKILL');
      await second.stop();
      await pg.end();
    }
  });
});
