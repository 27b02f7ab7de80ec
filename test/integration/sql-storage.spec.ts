import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions, MIGRATIONS, SqlTarget } from '../../src/storage/sql/data-source';
import { ModelVersionCounter1732290000000 } from '../../src/storage/sql/migrations/1732290000000-model-version-counter.migration';
import { PromotionOutcome1732300000000 } from '../../src/storage/sql/migrations/1732300000000-promotion-outcome.migration';
import { TrialAttempts1732310000000 } from '../../src/storage/sql/migrations/1732310000000-trial-attempts.migration';
import { SqlDialect } from '../../src/storage/sql/sql-dialect';
import { SqlStore } from '../../src/storage/sql/sql-store';
import { describePostgres, postgresTarget, sqliteTarget, TestTarget } from '../support/storage-targets';
import { modelDraft } from '../support/model-draft';
import { tempDir } from '../support/temp-dir';

/** Opens a database with only the migrations before `upTo`, to play a database made by an older build. */
async function olderDatabase(target: SqlTarget, upTo: Function): Promise<DataSource> {
  const before = new DataSource({ ...dataSourceOptions(target), migrations: MIGRATIONS.slice(0, MIGRATIONS.indexOf(upTo as never)) });
  await before.initialize();
  await before.runMigrations({ transaction: 'each' });
  return before;
}

/** What only the SQL stores have: migrations, WAL, several processes on one database. */
function sqlStorage(kind: 'sqlite' | 'postgres', open: () => Promise<TestTarget>): void {
  let target: TestTarget;
  const sql = (): SqlTarget => target.target as SqlTarget;

  beforeEach(async () => (target = await open()));
  afterEach(async () => target.drop());

  test('creates the schema by migrations (WAL mode on SQLite)', async () => {
    const store = await SqlStore.open(sql());
    try {
      if (kind === 'sqlite') {
        const [mode] = await store.dialect.rows<{ journal_mode: string }>('PRAGMA journal_mode');
        expect(mode.journal_mode).toBe('wal');
      }
      const migrations = await store.dialect.rows<{ name: string }>('SELECT name FROM migrations ORDER BY id');
      expect(migrations.map((m) => m.name)).toEqual(MIGRATIONS.map((m) => m.name));
    } finally {
      await store.close();
    }
  });

  test('numbers versions uniquely when two processes promote into one database', async () => {
    const [first, second] = [await SqlStore.open(sql()), await SqlStore.open(sql())];
    try {
      const [models, other] = [first.models, second.models];
      const id = await models.ensureModel('shared', 4000);
      expect(await other.ensureModel('shared', 4001)).toBe(id);
      const writers = [models, other, models, other, models, other];
      // Two SQLite connections in one process would block each other's synchronous driver calls,
      // so on SQLite the two stores take turns; PostgreSQL's two pools really run at once.
      const numbers =
        kind === 'postgres'
          ? await Promise.all(writers.map((w, i) => w.insertVersion(id, modelDraft(i / 10), 4002)))
          : await writers.reduce(async (acc, w, i) => [...(await acc), await w.insertVersion(id, modelDraft(i / 10), 4002)], Promise.resolve([] as number[]));
      expect([...numbers].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(await other.deleteVersion(id, 6)).toBe('deleted');
      expect(await models.insertVersion(id, modelDraft(0.9), 4003)).toBe(7);
    } finally {
      await second.close();
      await first.close();
    }
  });

  test('upgrades a database made before the version counter: each counter starts at its highest version', async () => {
    const before = await olderDatabase(sql(), ModelVersionCounter1732290000000);
    const old = new SqlDialect(before);
    await old.changes("INSERT INTO registered_model (name, created_at) VALUES ('gappy', 1), ('empty', 1)");
    const [gappy] = await old.rows<{ id: number }>("SELECT id FROM registered_model WHERE name = 'gappy'");
    for (const version of [1, 2, 5]) {
      await old.changes(
        `INSERT INTO model_version (model_id, version, experiment_id, trial_id, trial_number, params, metrics, objective_metric, direction, objective_value,
           input_schema, files, created_at) VALUES (?, ?, 1, 1, 1, '{}', '{}', 'acc', 'maximize', 0.5, '{}', '[]', 1)`,
        [Number(gappy.id), version],
      );
    }
    await before.destroy();
    const store = await SqlStore.open(sql());
    try {
      const id = (await store.models.modelId('gappy'))!;
      expect((await store.models.versions(id)).map((v) => v.version)).toEqual([5, 2, 1]);
      expect(await store.models.insertVersion(id, modelDraft(0.5), 2)).toBe(6);
      expect(await store.models.insertVersion((await store.models.modelId('empty'))!, modelDraft(0.5), 2)).toBe(1);
    } finally {
      await store.close();
    }
  });

  test('upgrades a database made before promotion outcomes: a repeated trial gets the number of the trial it repeats', async () => {
    const before = await olderDatabase(sql(), PromotionOutcome1732300000000);
    const old = new SqlDialect(before);
    await old.changes(
      "INSERT INTO experiment (name, state, spec, objective_metric, direction, algorithm, created_at) VALUES ('e', 'COMPLETE', '{}', 'loss', 'minimize', 'random', 1)",
    );
    const [exp] = await old.rows<{ id: number }>('SELECT id FROM experiment');
    for (const n of [1, 2])
      await old.changes("INSERT INTO trial (experiment_id, number, state, params, interrupted, created_at) VALUES (?, ?, 'FAILED', '{}', ?, 1)", [
        Number(exp.id),
        n,
        true,
      ]);
    const [first] = await old.rows<{ id: number }>('SELECT id FROM trial WHERE number = 1');
    await old.changes("INSERT INTO trial (experiment_id, number, state, params, interrupted, repeat_of, created_at) VALUES (?, 3, 'COMPLETE', '{}', ?, ?, 1)", [
      Number(exp.id),
      false,
      Number(first.id),
    ]);
    await before.destroy();
    const store = await SqlStore.open(sql());
    try {
      expect(await store.queries.byNumber(Number(exp.id), 3)).toMatchObject({ repeatOf: Number(first.id), repeatOfNumber: 1 });
      expect(await store.promotions.outcomeOf(Number(exp.id))).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  test('upgrades a database made before attempts: trials that ran count one attempt, failures get their kind, repeats their reason', async () => {
    const before = await olderDatabase(sql(), TrialAttempts1732310000000);
    const old = new SqlDialect(before);
    await old.changes(
      "INSERT INTO experiment (name, state, spec, objective_metric, direction, algorithm, created_at) VALUES ('e', 'COMPLETE', '{}', 'loss', 'minimize', 'random', 1)",
    );
    const [exp] = await old.rows<{ id: number }>('SELECT id FROM experiment');
    const rows: [number, string, string | null, boolean][] = [
      [1, 'COMPLETE', null, false],
      [2, 'FAILED', 'interrupted', true],
      [3, 'FAILED', 'timed out after 2 s', false],
      [4, 'FAILED', 'boom', false],
      [5, 'WAITING', null, false],
    ];
    for (const [n, state, error, interrupted] of rows)
      await old.changes('INSERT INTO trial (experiment_id, number, state, params, error, interrupted, created_at) VALUES (?, ?, ?, ?, ?, ?, 1)', [
        Number(exp.id),
        n,
        state,
        '{}',
        error,
        interrupted,
      ]);
    const [second] = await old.rows<{ id: number }>('SELECT id FROM trial WHERE number = 2');
    await old.changes(
      "INSERT INTO trial (experiment_id, number, state, params, interrupted, repeat_of, repeat_of_number, created_at) VALUES (?, 6, 'COMPLETE', '{}', ?, ?, 2, 1)",
      [Number(exp.id), false, Number(second.id)],
    );
    await before.destroy();
    const store = await SqlStore.open(sql());
    try {
      const trials = await store.trials.inStates(Number(exp.id), ['COMPLETE', 'FAILED', 'WAITING']);
      const by = (n: number) => trials.find((t) => t.number === n)!;
      expect([1, 2, 3, 4, 5, 6].map((n) => [by(n).attempt, by(n).failure, by(n).retried])).toEqual([
        [1, null, false],
        [1, 'interrupted', false],
        [1, 'timeout', false],
        [1, 'error', false],
        [0, null, false],
        [1, null, false],
      ]);
      expect(await store.queries.byNumber(Number(exp.id), 6)).toMatchObject({ repeatOfNumber: 2, repeatReason: 'interrupted', retryNumber: 0 });
      expect(await store.trials.rejections(by(1).id)).toEqual([]);
      expect(await store.identity()).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await store.close();
    }
  });
}

describe('SQL storage: sqlite', () => {
  const tmp = tempDir();
  let n = 0;
  afterAll(() => tmp.cleanup());
  sqlStorage('sqlite', async () => {
    const dir = join(tmp.dir, String(++n));
    mkdirSync(dir);
    return sqliteTarget(dir);
  });
});

describePostgres('SQL storage: postgres', () => sqlStorage('postgres', postgresTarget));
