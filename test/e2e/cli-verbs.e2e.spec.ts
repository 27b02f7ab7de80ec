import { resolve } from 'node:path';
import { hpo, hpoBackground, peek, serving } from '../support/cli-runner';
import { tempDir } from '../support/temp-dir';

const ROOT = resolve(__dirname, '../..');
const FIXTURES = resolve(__dirname, '../fixtures');

/** Resolves once `check` holds on the SQLite file another process is writing. */
async function whenStored(dbFile: string, check: (counts: { complete: number; running: number }) => boolean, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    const rows = peek(
      dbFile,
      (db) => db.prepare('SELECT state, COUNT(*) AS n FROM trial WHERE experiment_id = 1 GROUP BY state').all() as { state: string; n: number }[],
    );
    const count = (state: string) => rows?.find((r) => r.state === state)?.n ?? 0;
    if (rows && check({ complete: count('COMPLETE'), running: count('RUNNING') })) return;
  }
  throw new Error('the condition never held');
}

/** Waits for a background `hpo` to exit; resolves to its exit code and what it wrote to stderr. */
function exited(child: ReturnType<typeof hpoBackground>): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolveExit) => child.once('exit', (code) => resolveExit({ code, stderr })));
}

describe('hpo verbs and their exit codes', () => {
  const tmp = tempDir('hpo-verbs-');
  afterAll(() => tmp.cleanup());

  it('exits 130 when a run is cancelled with Ctrl-C after some trials finished', async () => {
    const child = hpoBackground(['run', resolve(FIXTURES, 'slow-quadratic.yaml'), '--db', 'sigint.db'], tmp.dir);
    const done = exited(child);
    await whenStored(resolve(tmp.dir, 'sigint.db'), (c) => c.complete >= 2);
    child.kill('SIGINT');
    const { code, stderr } = await done;
    expect(code).toBe(130);
    expect(stderr).toMatch(/cancelling/);
  });

  it('exits 130 when another process cancels the run, even before any trial finished', async () => {
    const child = hpoBackground(['run', resolve(FIXTURES, 'slow-quadratic.yaml'), '--db', 'other.db'], tmp.dir);
    const done = exited(child);
    await whenStored(resolve(tmp.dir, 'other.db'), (c) => c.running >= 1);
    const cancel = hpo(['cancel', 'slow-quadratic', '--db', 'other.db'], tmp.dir);
    expect([cancel.status, cancel.stdout.trim()]).toEqual([0, 'experiment 1: CANCELLED']);
    const { code, stderr } = await done;
    expect(code).toBe(130);
    expect(stderr).not.toMatch(/every trial failed/);
  });

  it('prints its version', () => {
    const out = hpo(['--version'], tmp.dir);
    expect([out.status, out.stdout.trim()]).toEqual([0, require(resolve(ROOT, 'package.json')).version]);
  });

  it('pages trials with --cursor and ranks across experiments without an experiment argument', () => {
    expect(hpo(['run', resolve(ROOT, 'experiments/branin-module.yaml'), '--db', 'pages.db', '--json'], tmp.dir).status).toBe(0);
    const first = JSON.parse(hpo(['trials', 'branin', '--db', 'pages.db', '--limit', '3', '--json'], tmp.dir).stdout);
    expect(first.items.map((t: { number: number }) => t.number)).toEqual([1, 2, 3]);
    const second = JSON.parse(hpo(['trials', 'branin', '--db', 'pages.db', '--limit', '3', '--cursor', first.nextCursor, '--json'], tmp.dir).stdout);
    expect(second.items.map((t: { number: number }) => t.number)).toEqual([4, 5, 6]);
    expect(hpo(['trials', 'branin', '--db', 'pages.db', '--limit', '3'], tmp.dir).stdout).toContain(`(more: --cursor ${first.nextCursor})`);
    const wrong = hpo(['trials', 'branin', '--db', 'pages.db', '--sort', 'objective', '--cursor', first.nextCursor], tmp.dir);
    expect([wrong.status, wrong.stderr]).toEqual([2, expect.stringContaining('--cursor: cursor was made for another listing')]);

    const global = JSON.parse(hpo(['leaderboard', '--metric', 'value', '--limit', '2', '--db', 'pages.db', '--json'], tmp.dir).stdout);
    expect(global).toMatchObject({ metric: 'value', direction: 'minimize' });
    expect(global.rows).toHaveLength(2);
    expect(global.rows[0].value).toBeLessThanOrEqual(global.rows[1].value);
    const table = hpo(['leaderboard', '--metric', 'value', '--db', 'pages.db'], tmp.dir);
    expect(table.stdout).toMatch(/leaderboard across experiments by value \(minimize\)/);
    const noMetric = hpo(['leaderboard', '--db', 'pages.db'], tmp.dir);
    expect([noMetric.status, noMetric.stderr]).toEqual([2, expect.stringContaining('--metric: is required without an experiment')]);
  });

  it('says when hpo serve starts a new database and when it opens one, and names a port in use in one line', async () => {
    const first = await serving(['--db', 'fresh/dir/x.db', '--port', '0'], tmp.dir);
    try {
      expect(first.stderr()).toContain(`hpo: created a new, empty database at ${resolve(tmp.dir, 'fresh/dir/x.db')}`);
      const clash = hpo(['serve', '--db', 'fresh/dir/x.db', '--port', String(first.port)], tmp.dir);
      expect(clash.status).toBe(2);
      expect(clash.stderr.trim().split('\n')).toEqual([`hpo: port ${first.port} on 127.0.0.1 is in use: pass --port (or HPO_PORT) another port`]);
    } finally {
      await first.stop();
    }
    const again = await serving(['--db', 'fresh/dir/x.db', '--port', '0'], tmp.dir);
    try {
      expect(again.stderr()).toContain(`hpo: records in ${resolve(tmp.dir, 'fresh/dir/x.db')}`);
      expect(again.stderr()).not.toContain('created');
    } finally {
      await again.stop();
    }
  });
});
