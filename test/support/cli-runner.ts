import { spawn, spawnSync, SpawnSyncReturns } from 'node:child_process';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';

/** The `hpo` entry users run (compiled code, as after `npm install`). */
export const HPO_BIN = resolve(__dirname, '../../bin/hpo.js');

/** The folder of the test objective modules (the code root of the services tests start). */

/** Runs `hpo ...args` to completion in `cwd`. */
export function hpo(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [HPO_BIN, ...args], { cwd, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 180_000 });
}

/**
 * Runs `hpo ...args` to completion without blocking this process: a test that also talks to a
 * service over kept-alive connections must keep its event loop turning, or it later sends a request
 * on a connection the service closed meanwhile ("other side closed").
 */
export function hpoAsync(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = hpoBackground(args, cwd, env);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolvePromise, reject) => {
    child.once('error', reject);
    child.once('close', (status) => resolvePromise({ status, stdout, stderr }));
  });
}

/** Starts `hpo ...args` in the background (to kill it mid-run). */
export function hpoBackground(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  return spawn(process.execPath, [HPO_BIN, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A short ownership lease, so a test can take over a killed run's experiment after about a second. */
export const SHORT_LEASE = { HPO_LEASE_SEC: '1' };

/**
 * Reads a SQLite file another process is writing, through WAL, without migrating it (opening a
 * store would run migrations and race the writer's own); undefined while its schema is not there.
 */
export function peek<T>(dbFile: string, read: (db: Database.Database) => T): T | undefined {
  if (!existsSync(dbFile)) return undefined;
  let db: Database.Database | undefined;
  try {
    db = new Database(dbFile, { readonly: true, fileMustExist: true, timeout: 1_000 });
    return read(db);
  } catch {
    return undefined; // the schema is not there yet, or the writer holds a lock for a moment
  } finally {
    db?.close();
  }
}

/** Completed trials of experiment 1 in a SQLite file another process is writing. */
async function completedTrials(dbFile: string): Promise<{ id: number; number: number; value: number | null }[]> {
  return (
    peek(
      dbFile,
      (db) =>
        db.prepare("SELECT id, number, value FROM trial WHERE experiment_id = 1 AND state = 'COMPLETE' ORDER BY number").all() as {
          id: number;
          number: number;
          value: number | null;
        }[],
    ) ?? []
  );
}

/**
 * Kills a background `hpo run` with SIGKILL (a crash, as far as the database can tell) once it
 * has completed `minComplete` trials; returns those trials as they were stored before the kill.
 */
export async function killAfterProgress(
  child: ReturnType<typeof hpoBackground>,
  dbFile: string,
  minComplete: number,
  timeoutMs = 60_000,
): Promise<{ id: number; number: number; value: number | null }[]> {
  const until = Date.now() + timeoutMs;
  let done: { id: number; number: number; value: number | null }[] = [];
  while (done.length < minComplete && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    done = await completedTrials(dbFile);
  }
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  return done;
}

/** The repository: the fixtures and example datasets tests submit over REST lie under it. */
const REPOSITORY = resolve(__dirname, '../..');

/**
 * Starts `hpo serve` in the background and resolves once it listens; `stderr()` is what it has
 * said so far. Its roots are its folder and the repository (where the fixtures are) unless `env`
 * names its own.
 */
export async function serving(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const roots = `${cwd}:${REPOSITORY}`;
  const child = hpoBackground(['serve', ...args], cwd, { HPO_CODE_ROOTS: roots, HPO_DATA_ROOTS: roots, ...env });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`no port announced: ${stderr}`)), 20_000);
    child.stderr.on('data', () => {
      const m = /serving on http:\/\/(?:\[[^\]]*\]|[^:/]+):(\d+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolvePort(Number(m[1]));
      }
    });
  });
  return { child, port, stderr: () => stderr, stop: async () => (child.kill('SIGTERM'), await new Promise((r) => child.once('exit', r))) };
}
