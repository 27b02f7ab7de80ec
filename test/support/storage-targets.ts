import { join } from 'node:path';
import { Client } from 'pg';
import { DatabaseTarget } from '../../src/storage/data-source';

/** The PostgreSQL server tests use (CI and every developer machine run one); `HPO_TEST_PG_URL` overrides. */
export const TEST_PG_URL = process.env.HPO_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A storage target for one test file, and how to remove it afterwards. */
export interface TestTarget {
  name: string;
  target: DatabaseTarget;
  drop(): Promise<void>;
}

/** A fresh SQLite file in `dir`. */
export function sqliteTarget(dir: string): TestTarget {
  return { name: 'sqlite', target: { kind: 'sqlite', file: join(dir, 'store.db') }, drop: async () => undefined };
}

/** A fresh PostgreSQL database on the test server, or undefined when none is reachable. */
export async function postgresTarget(): Promise<TestTarget | undefined> {
  const admin = new Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 2_000 });
  try {
    await admin.connect();
  } catch {
    return undefined;
  }
  const name = `hpo_test_${process.pid}_${Date.now()}`;
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
