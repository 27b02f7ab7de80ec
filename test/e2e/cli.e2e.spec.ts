import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { openStore } from '../../src/storage/store';
import { hpo, hpoBackground, killAfterProgress, serving, SHORT_LEASE } from '../support/cli-runner';
import { tempDir } from '../support/temp-dir';

const ROOT = resolve(__dirname, '../..');
const FIXTURES = resolve(__dirname, '../fixtures');

describe('the hpo CLI, as a user runs it', () => {
  const tmp = tempDir('hpo-cli-');
  afterAll(() => tmp.cleanup());

  it('runs the iris example to the end on a SQLite file and prints one JSON document', () => {
    const run = hpo(['run', resolve(ROOT, 'experiments/iris-mlp.yaml'), '--db', 'iris.db', '--json'], tmp.dir);
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ experimentId: 1, state: 'COMPLETE', objective: { metric: 'val_accuracy', direction: 'maximize' } });
    expect(result.trials).toHaveLength(12);
    for (const t of result.trials) {
      expect(t).toMatchObject({ state: 'COMPLETE', lastStep: 30 });
      expect(t.backend).toBe('wasm');
      expect(t.metrics).toEqual(
        expect.objectContaining({ val_accuracy: expect.any(Number), val_f1: expect.any(Number), val_auc: expect.any(Number), val_loss: expect.any(Number) }),
      );
    }
    expect(Math.max(...result.trials.map((t: { value: number }) => t.value))).toBeGreaterThan(0.9);

    const board = hpo(['leaderboard', 'iris-mlp', '--db', 'iris.db', '--limit', '3'], tmp.dir);
    expect(board.status).toBe(0);
    expect(board.stdout).toMatch(/leaderboard by val_accuracy \(maximize\)/);
    expect(board.stdout.trim().split('\n')).toHaveLength(6); // title, header, rule, 3 rows
    const boardJson = JSON.parse(hpo(['leaderboard', '1', '--db', 'iris.db', '--json'], tmp.dir).stdout);
    const values = boardJson.complete.map((r: { value: number }) => r.value);
    expect(values).toEqual([...values].sort((a: number, b: number) => b - a));
  });

  it('exits 1 when every trial failed, naming the first error', () => {
    const run = hpo(['run', resolve(FIXTURES, 'all-fail.yaml'), '--db', 'fail.db'], tmp.dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/every trial failed; the first error was: x must be positive/);
  });

  it('keeps stdout for the JSON document when trials print', () => {
    const run = hpo(['run', resolve(FIXTURES, 'chatty.yaml'), '--db', 'chatty.db', '--json'], tmp.dir);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).trials).toHaveLength(3);
    expect(run.stderr).toMatch(/trying x=/);
  });

  it('validate lists every problem by path and exits 2', () => {
    const out = hpo(['validate', resolve(FIXTURES, 'bad-config.yaml')], tmp.dir);
    expect(out.status).toBe(2);
    for (const path of ['name:', 'objective.direction:', 'space.learning_rate.low: must be > 0 when log is true', 'space.units.low:', 'budget.maxTrials:'])
      expect(out.stderr).toContain(path);
    expect(out.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
    const json = JSON.parse(hpo(['validate', resolve(FIXTURES, 'bad-config.yaml'), '--json'], tmp.dir).stdout);
    expect(json.valid).toBe(false);
    expect(hpo(['validate', resolve(ROOT, 'experiments/wine-mlp.yaml')], tmp.dir).status).toBe(0);
    const missing = hpo(['run', 'nope.yaml'], tmp.dir);
    expect([missing.status, missing.stderr]).toEqual([2, expect.stringContaining('nope.yaml does not exist')]);
    const unknown = hpo(['leaderboard', 'no-such-experiment', '--db', 'iris.db'], tmp.dir);
    expect([unknown.status, unknown.stderr.trim()]).toEqual([2, 'hpo: no experiment with id or name "no-such-experiment"']);
  });

  it('refuses bad flags before doing anything, and never makes an empty database from a mistyped --db', () => {
    const typo = hpo(['experiments', '--db', 'iirs.db'], tmp.dir);
    expect([typo.status, typo.stderr.trim()]).toEqual([
      2,
      `hpo: no database at ${resolve(tmp.dir, 'iirs.db')}: run an experiment there first, or point --db (or HPO_DB) at an existing one`,
    ]);
    expect(existsSync(resolve(tmp.dir, 'iirs.db'))).toBe(false);
    const limit = hpo(['run', resolve(ROOT, 'experiments/branin-module.yaml'), '--db', 'flags.db', '--limit', 'abc'], tmp.dir);
    expect([limit.status, limit.stderr]).toEqual([2, expect.stringContaining('--limit: must be an integer from 1 to 1000, got "abc"')]);
    expect(existsSync(resolve(tmp.dir, 'flags.db'))).toBe(false); // refused before the experiment was created
    const trialNumber = hpo(['trial', '1', 'abc', '--db', 'iris.db'], tmp.dir);
    expect([trialNumber.status, trialNumber.stderr]).toEqual([2, expect.stringContaining('NUMBER: must be an integer from 1 to')]);
    for (const args of [
      ['leaderboard', '1', '--limit', '0'],
      ['trials', '1', '--limit', '1.5'],
      ['resume', '1', '--max-trials', 'abc'],
    ]) {
      const out = hpo([...args, '--db', 'iris.db'], tmp.dir);
      expect([out.status, out.stderr]).toEqual([2, expect.stringMatching(/--(limit|max-trials): must be an integer/)]);
    }
  });

  it('resumes an experiment after its process was killed: interrupted trials run again, nothing complete is lost', async () => {
    const child = hpoBackground(['run', resolve(FIXTURES, 'slow-quadratic.yaml'), '--db', 'crash.db'], tmp.dir);
    const dbFile = resolve(tmp.dir, 'crash.db');
    const completeBefore = await killAfterProgress(child, dbFile, 3);
    expect(completeBefore.length).toBeGreaterThanOrEqual(3);

    const tooSoon = hpo(['resume', '1', '--db', 'crash.db'], tmp.dir);
    expect([tooSoon.status, tooSoon.stderr]).toEqual([2, expect.stringContaining('being run by another process')]);
    await new Promise((r) => setTimeout(r, 1_200)); // the killed process's heartbeat goes stale
    const resumed = hpo(['resume', '1', '--db', 'crash.db', '--json'], tmp.dir, SHORT_LEASE);
    expect(resumed.status).toBe(0);
    const result = JSON.parse(resumed.stdout);
    expect(result.state).toBe('COMPLETE');
    const trials: { number: number; state: string; error: string | null; value: number | null }[] = result.trials;
    expect(trials.map((t) => t.number)).toEqual(trials.map((_, i) => i + 1)); // unique and gap-free
    const interrupted = trials.filter((t) => t.error === 'interrupted');
    expect(interrupted.length).toBeGreaterThan(0);
    expect(trials.filter((t) => t.error !== 'interrupted' && t.state !== 'RUNNING')).toHaveLength(16); // the budget counts finished, not interrupted
    for (const before of completeBefore) expect(trials[before.number - 1]).toMatchObject({ state: 'COMPLETE', value: before.value });

    const store = await openStore({ kind: 'sqlite', file: dbFile });
    const all = await store.trials.inStates(1, ['COMPLETE', 'FAILED']);
    for (const t of all.filter((x) => x.interrupted)) {
      const repeat = all.find((x) => x.repeatOf === t.id);
      expect(repeat?.params).toEqual(t.params);
    }
    await store.close();
  });

  it('hpo serve resumes what a killed run left RUNNING and answers over HTTP', async () => {
    const run = hpoBackground(['run', resolve(FIXTURES, 'slow-quadratic.yaml'), '--db', 'serve.db'], tmp.dir);
    expect((await killAfterProgress(run, resolve(tmp.dir, 'serve.db'), 2)).length).toBeGreaterThanOrEqual(2);
    await new Promise((r) => setTimeout(r, 1_200)); // the killed process's heartbeat goes stale
    const server = await serving(['--db', 'serve.db', '--port', '0'], tmp.dir, SHORT_LEASE);
    const port = server.port;
    try {
      let state = '';
      for (let i = 0; i < 150 && state !== 'COMPLETE'; i++) {
        await new Promise((r) => setTimeout(r, 200));
        state = ((await (await fetch(`http://127.0.0.1:${port}/api/experiments/1`)).json()) as { state: string }).state;
      }
      expect(state).toBe('COMPLETE');
      expect(server.stderr()).toContain('resumed experiments 1');
      const trials = (await (await fetch(`http://127.0.0.1:${port}/api/experiments/1/trials?limit=100`)).json()) as {
        items: { error: string | null; state: string }[];
      };
      expect(trials.items.filter((t) => t.error !== 'interrupted' && t.state !== 'RUNNING')).toHaveLength(16);
    } finally {
      await server.stop();
    }
  });
});
