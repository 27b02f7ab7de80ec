/**
 * Recovery after `kill -9`: an `hpo serve` runs a module experiment (trials of about a third of a
 * second, parallelism 2, SQLite file); it is killed with SIGKILL and started again, either at once
 * or after the lease, and the time until a trial of the experiment starts again is measured (the
 * store is read from outside, through WAL). Five kills per mode, median reported. With `--root`
 * it runs another build's `bin/hpo.js` (a build from before automatic adoption, to compare).
 * Run: `npm run build && node dist/bench/recovery.bench.js [--kills 5] [--lease 15] [--root DIR] [--give-up 60] [--out recovery]`.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { machine, median, writeResult } from './bench-io';

const ROOT = resolve(__dirname, '..', '..');
const STEADY = join(ROOT, 'test/fixtures/objectives/steady.mjs');

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One kill and restart: how long until a trial started again, from the kill and from the restart (null: not within the give-up time). */
interface Recovery {
  mode: 'immediate' | 'after lease';
  fromKillMs: number | null;
  fromRestartMs: number | null;
}

function latestStart(db: string): number {
  let handle: Database.Database | undefined;
  try {
    handle = new Database(db, { readonly: true, fileMustExist: true, timeout: 1_000 });
    return (handle.prepare('SELECT MAX(started_at) AS at FROM trial WHERE experiment_id = 1').get() as { at: number | null }).at ?? 0;
  } catch {
    return 0; // not created yet, or the writer holds a lock for a moment
  } finally {
    handle?.close();
  }
}

async function serve(bin: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [bin, 'serve', '--db', 'recovery.db', '--port', '0'], {
    cwd,
    // The objective lies in the repository, outside the service's folder: name its folder as the code root.
    env: { ...process.env, HPO_CODE_ROOTS: dirname(STEADY), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let said = '';
  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`hpo serve announced no port: ${said}`)), 30_000);
    child.stderr!.on('data', (d: Buffer) => {
      said += d.toString();
      const m = /serving on http:\/\/127\.0\.0\.1:(\d+)/.exec(said);
      if (m) {
        clearTimeout(timer);
        resolvePort(Number(m[1]));
      }
    });
  });
  return { child, port };
}

async function kill(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

async function main(): Promise<void> {
  const kills = Number(arg('kills', '5'));
  const leaseSec = Number(arg('lease', '15'));
  const giveUpMs = Number(arg('give-up', '60')) * 1000;
  const buildRoot = resolve(arg('root', ROOT));
  const bin = join(buildRoot, 'bin/hpo.js');
  const dir = mkdtempSync(join(tmpdir(), 'hpo-bench-recovery-'));
  const db = join(dir, 'recovery.db');
  const env = { HPO_LEASE_SEC: String(leaseSec) };
  const recoveries: Recovery[] = [];
  let server = await serve(bin, dir, env);
  const config = {
    name: 'recovery',
    objective: { metric: 'loss', direction: 'minimize' },
    space: { x: { type: 'float', low: -3, high: 3 } },
    search: { algorithm: 'random', seed: 3 },
    budget: { maxTrials: 100_000, parallelism: 2, trialTimeoutSec: 30 },
    trial: { kind: 'module', module: STEADY },
  };
  const created = await fetch(`http://127.0.0.1:${server.port}/api/experiments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(config),
  });
  if (created.status !== 201) throw new Error(`experiment not created: ${created.status} ${await created.text()}`);
  try {
    for (const mode of ['immediate', 'after lease'] as const) {
      for (let k = 0; k < kills; k++) {
        // Let the experiment run a little (and recover from the previous kill) before each kill.
        const before = latestStart(db);
        while (latestStart(db) <= before) await sleep(100);
        await sleep(1_000);
        await kill(server.child);
        const killedAt = Date.now();
        if (mode === 'after lease') await sleep(leaseSec * 1000 + 1_000);
        const restartedAt = Date.now();
        server = await serve(bin, dir, env);
        let startedAt: number | null = null;
        while (Date.now() - restartedAt < giveUpMs) {
          if (latestStart(db) > killedAt) {
            startedAt = Date.now();
            break;
          }
          await sleep(50);
        }
        recoveries.push({ mode, fromKillMs: startedAt && startedAt - killedAt, fromRestartMs: startedAt && startedAt - restartedAt });
        process.stderr.write(
          `recovery: ${mode} restart ${k + 1}: ${startedAt ? `${startedAt - killedAt} ms after the kill` : `nothing ran within ${giveUpMs / 1000} s`}\n`,
        );
        if (startedAt === null) {
          // A build without adoption strands the experiment: hand it back by hand so the next round can measure again.
          await fetch(`http://127.0.0.1:${server.port}/api/experiments/1/resume`, { method: 'POST' });
        }
      }
    }
  } finally {
    await kill(server.child);
    rmSync(dir, { recursive: true, force: true });
  }
  const summary = (['immediate', 'after lease'] as const).map((mode) => {
    const rows = recoveries.filter((r) => r.mode === mode);
    const recovered = rows.filter((r) => r.fromKillMs !== null);
    return {
      mode,
      recovered: recovered.length,
      of: rows.length,
      medianFromKillMs: recovered.length ? median(recovered.map((r) => r.fromKillMs!)) : null,
      medianFromRestartMs: recovered.length ? median(recovered.map((r) => r.fromRestartMs!)) : null,
      maxFromRestartMs: recovered.length ? Math.max(...recovered.map((r) => r.fromRestartMs!)) : null,
    };
  });
  console.log(`recovery after kill -9: hpo serve (${buildRoot}), lease ${leaseSec} s, module trials of ~0.35 s at parallelism 2, SQLite file`);
  console.log('restart      recovered  median from kill  median from restart  max from restart');
  const s = (ms: number | null) => (ms === null ? 'never'.padStart(8) : `${(ms / 1000).toFixed(1).padStart(6)} s`);
  for (const r of summary)
    console.log(
      `${r.mode.padEnd(11)}  ${`${r.recovered}/${r.of}`.padEnd(9)}  ${s(r.medianFromKillMs).padEnd(16)}  ${s(r.medianFromRestartMs).padEnd(19)}  ${s(r.maxFromRestartMs)}`,
    );
  const file = writeResult(arg('out', 'recovery'), { machine: machine(), build: buildRoot, leaseSec, giveUpSec: giveUpMs / 1000, summary, recoveries });
  console.log(`wrote ${file}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
