import { join } from 'node:path';
import { Client } from 'pg';
import { DatabaseTarget } from '../../src/storage/store';

/** The PostgreSQL server tests use (CI and every developer machine run one); `HPO_TEST_PG_URL` overrides. */
export const TEST_PG_URL = process.env.HPO_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Whether the PostgreSQL server answered when this run started (`test/support/global-setup.js`
 * asks once). When it did not, its suites are declared with `describe.skip` and Jest reports them
 * as skipped; a file run on its own, without the global setup, asks for itself.
 */
export const postgresAvailable = process.env.HPO_TEST_POSTGRES === undefined ? probeSync() : process.env.HPO_TEST_POSTGRES === 'available';

function probeSync(): boolean {
  const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
  const script =
    "const {Client}=require('pg');const c=new Client({connectionString:process.argv[1],connectionTimeoutMillis:2000});c.connect().then(()=>c.end()).then(()=>process.exit(0),()=>process.exit(1))";
  return spawnSync(process.execPath, ['-e', script, TEST_PG_URL], { timeout: 5_000 }).status === 0;
}

/** `describe` when PostgreSQL is there, `describe.skip` (reported as skipped) when it is not. */
export const describePostgres = postgresAvailable ? describe : describe.skip;

/** A storage target for one test file, and how to remove it afterwards. */
export interface TestTarget {
  name: string;
  target: DatabaseTarget;
  drop(): Promise<void>;
}

/** Nothing to create or drop: records live in the store object. */
export const memoryTarget: TestTarget = { name: 'memory', target: { kind: 'memory' }, drop: async () => undefined };

/** A fresh SQLite file in `dir`. */
export function sqliteTarget(dir: string): TestTarget {
  return { name: 'sqlite', target: { kind: 'sqlite', file: join(dir, 'store.db') }, drop: async () => undefined };
}

/** A fresh PostgreSQL database on the test server (call only where {@link postgresAvailable}). */
export async function postgresTarget(): Promise<TestTarget> {
  const admin = new Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 2_000 });
  await admin.connect();
  const name = `hpo_test_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${name}`;
  return {
    name: 'postgres',
    target: { kind: 'postgres', url: url.toString() },
    drop: async () => {
      const c = new Client({ connectionString: TEST_PG_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
