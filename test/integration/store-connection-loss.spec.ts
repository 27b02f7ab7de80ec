import Database from 'better-sqlite3';
import { join } from 'node:path';
import { Client } from 'pg';
import { StoreUnavailableError } from '../../src/domain/errors';
import { SqlStore } from '../../src/storage/sql/sql-store';
import { isTransientDbError } from '../../src/storage/sql/transient-errors';
import { CuttableRelay } from '../support/cuttable-relay';
import { describePostgres, postgresTarget, TestTarget } from '../support/storage-targets';
import { sampleSpec } from '../support/sample-spec';
import { tempDir } from '../support/temp-dir';

const urlThrough = (url: string, port: number): string => {
  const u = new URL(url);
  u.port = String(port);
  return u.toString();
};

describePostgres('PostgreSQL connections lost under the store', () => {
  let db: TestTarget;
  let relay: CuttableRelay;
  let store: SqlStore;

  beforeAll(async () => {
    db = await postgresTarget();
    relay = new CuttableRelay(Number(new URL((db.target as { url: string }).url).port || 5432));
    await relay.start();
    store = await SqlStore.open({ kind: 'postgres', url: urlThrough((db.target as { url: string }).url, relay.port) });
  }, 30_000);

  afterAll(async () => {
    await store?.close().catch(() => undefined);
    await relay?.cut();
    await db?.drop();
  });

  it('says a refused or dropped connection is the database being away (StoreUnavailableError), and works again once it is back', async () => {
    const experiment = await store.experiments.create(sampleSpec(), null, 'owner-a', 1);
    await relay.cut();
    // The pool's connections were dropped under it, and new ones are refused.
    const failed = await store.experiments.get(experiment.id).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(StoreUnavailableError);
    expect((failed as Error).message).toMatch(/^PostgreSQL cannot be reached: /);
    expect(isTransientDbError((failed as Error).cause)).toBe(true);
    await expect(store.trials.createWaiting(experiment.id, { x: 1 }, null, 2)).rejects.toBeInstanceOf(StoreUnavailableError);
    await relay.start();
    expect((await store.experiments.get(experiment.id))!.id).toBe(experiment.id);
    // The write refused while it was away did not happen: the first trial stored now is number 1.
    expect((await store.trials.createWaiting(experiment.id, { x: 1 }, null, 3)).number).toBe(1);
  });

  it('says a connection ended by the server under a statement (pg_terminate_backend, SQLSTATE 57P01) is the database being away', async () => {
    const slow = store.dialect.rows('SELECT pg_sleep(10) AS slept').catch((e: unknown) => e);
    const admin = new Client({ connectionString: (db.target as { url: string }).url });
    await admin.connect();
    try {
      let ended = 0;
      for (let i = 0; i < 50 && ended === 0; i++) {
        await new Promise((r) => setTimeout(r, 50));
        const r = await admin.query(
          "SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(10)%' AND pid <> pg_backend_pid()",
        );
        ended = r.rowCount ?? 0;
      }
      expect(ended).toBe(1);
    } finally {
      await admin.end();
    }
    const error = await slow;
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toMatch(/terminating connection due to administrator command|Connection terminated/);
    // The store carries on with a new connection.
    expect(await store.dialect.rows<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('does not take a wrong statement for a lost connection', async () => {
    const error = await store.dialect.rows('SELECT * FROM no_such_table').catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(StoreUnavailableError);
    expect(isTransientDbError(error)).toBe(false);
  });
});

describe('SQLite locked by another process past the busy timeout', () => {
  const tmp = tempDir('hpo-busy-');
  afterAll(() => tmp.cleanup());

  it('is the database being away (SQLITE_BUSY), and other errors are not', () => {
    const file = join(tmp.dir, 'busy.db');
    const holder = new Database(file);
    holder.exec('CREATE TABLE t (x INTEGER)');
    holder.exec('BEGIN EXCLUSIVE');
    const other = new Database(file, { timeout: 50 });
    try {
      const busy = (() => {
        try {
          other.prepare('INSERT INTO t VALUES (1)').run();
        } catch (e) {
          return e;
        }
      })();
      expect((busy as { code: string }).code).toMatch(/^SQLITE_BUSY/);
      expect(isTransientDbError(busy)).toBe(true);
      const wrong = (() => {
        try {
          holder.prepare('SELECT * FROM nothing_here').all();
        } catch (e) {
          return e;
        }
      })();
      expect(isTransientDbError(wrong)).toBe(false);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
      other.close();
    }
  });
});
