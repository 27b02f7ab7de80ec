import { DataSource } from 'typeorm';
import { dataSourceOptions, MIGRATIONS } from '../../src/storage/data-source';
import { ModelVersionCounter1732290000000 } from '../../src/storage/migrations/1732290000000-model-version-counter.migration';
import { ModelRepository } from '../../src/storage/repositories/model.repository';
import { SqlDialect } from '../../src/storage/sql-dialect';
import { NewModelVersion } from '../../src/storage/repositories/model-records';
import { Store } from '../../src/storage/store';
import { postgresTarget, sqliteTarget, TestTarget } from '../support/storage-targets';
import { tempDir } from '../support/temp-dir';

function draft(value: number): NewModelVersion {
  return {
    experimentId: 1, trialId: 7, trialNumber: 3, params: { lr: 0.1 }, metrics: { val_accuracy: value },
    objective: { metric: 'val_accuracy', direction: 'maximize', value }, backend: 'wasm',
    inputSchema: { task: 'classification', target: 'y', features: [{ name: 'x', type: 'numeric' }], classes: ['a', 'b'] },
    files: [{ name: 'weights.bin', bytes: 4, sha256: 'ab'.repeat(32) }], description: 'd', tags: { team: 'ml' },
    quantization: null,
  };
}

/** The registry's tables over every storage: a real SQLite file, and PostgreSQL where a server is reachable. */
describe.each(['sqlite', 'postgres'])('model repository: %s', (kind) => {
  const tmp = tempDir();
  let store: Store;
  let models: ModelRepository;
  let target: TestTarget | undefined;
  beforeAll(async () => {
    target = kind === 'sqlite' ? sqliteTarget(tmp.dir) : await postgresTarget();
    if (!target) return console.warn('PostgreSQL not reachable: the postgres model repository suite is skipped');
    store = await Store.open(target.target);
    models = new ModelRepository(store.dialect);
  });
  afterAll(async () => {
    await store?.close();
    await target?.drop();
    tmp.cleanup();
  });
  const it = (name: string, fn: () => Promise<void>) => test(name, async () => (target ? fn() : undefined));

  it('numbers versions 1, 2, ... per model, also under concurrent promotions, and reads them back', async () => {
    const id = await models.ensureModel('m', 1000);
    expect(await models.ensureModel('m', 2000)).toBe(id);
    const numbers = await Promise.all([0.5, 0.6, 0.7].map((v) => models.insertVersion(id, draft(v), 1001)));
    expect(numbers.sort()).toEqual([1, 2, 3]);
    const v = await models.version(id, 2);
    expect(v).toMatchObject({ model: 'm', version: 2, trialNumber: 3, tags: { team: 'ml' }, archived: false, quantization: null, createdAt: 1001 });
    expect(v!.objective.value).toBeGreaterThan(0.4);
    expect((await models.versions(id)).map((x) => x.version)).toEqual([3, 2, 1]);
    const other = await models.ensureModel('other', 1000);
    expect(await models.insertVersion(other, draft(0.1), 1002)).toBe(1);
  });

  it('moves aliases (compare-and-set when asked), never onto a missing version', async () => {
    const id = (await models.modelId('m'))!;
    expect(await models.moveAlias(id, 'production', 1, 1100, null)).toBe(true);
    expect(await models.moveAlias(id, 'production', 2, 1101, null)).toBe(false);
    expect(await models.moveAlias(id, 'production', 2, 1102, 3)).toBe(false);
    expect(await models.moveAlias(id, 'production', 2, 1103, 1)).toBe(true);
    expect(await models.moveAlias(id, 'production', 99, 1104)).toBe(false);
    expect(await models.moveAlias(id, 'staging', 3, 1105)).toBe(true);
    expect(await models.aliasVersion('m', 'production')).toBe(2);
    expect(await models.aliases(id)).toEqual([{ alias: 'production', version: 2, updatedAt: 1103 }, { alias: 'staging', version: 3, updatedAt: 1105 }]);
    expect((await models.list()).find((s) => s.name === 'm')).toEqual({ name: 'm', createdAt: 1000, versionCount: 3, latestVersion: 3, aliases: { production: 2, staging: 3 } });
  });

  it('archives, and deletes only versions no alias holds', async () => {
    const id = (await models.modelId('m'))!;
    expect(await models.setArchived(id, 1, true)).toBe(true);
    expect((await models.version(id, 1))!.archived).toBe(true);
    expect(await models.deleteVersion(id, 2)).toBe('aliased');
    expect(await models.deleteVersion(id, 1)).toBe('deleted');
    expect(await models.deleteVersion(id, 1)).toBe('missing');
    expect(await models.deleteAlias(id, 'staging')).toBe(true);
    expect(await models.deleteVersion(id, 3)).toBe('deleted');
  });

  it('never reuses a deleted version number, not even the newest, nor after every version is deleted', async () => {
    const id = await models.ensureModel('reuse', 3000);
    for (const n of [1, 2, 3]) expect(await models.insertVersion(id, draft(0.5), 3001)).toBe(n);
    expect(await models.deleteVersion(id, 3)).toBe('deleted');
    expect(await models.insertVersion(id, draft(0.6), 3002)).toBe(4);
    for (const n of [1, 2, 4]) expect(await models.deleteVersion(id, n)).toBe('deleted');
    expect(await models.list()).toContainEqual({ name: 'reuse', createdAt: 3000, versionCount: 0, latestVersion: null, aliases: {} });
    expect(await models.modelId('reuse')).toBe(id); // the model outlives its versions, and so does its numbering
    expect(await models.insertVersion(id, draft(0.7), 3003)).toBe(5);
    await models.removeVersionRow(id, 5); // a promotion whose files could not be put in place
    expect(await models.insertVersion(id, draft(0.8), 3004)).toBe(6);
    expect((await models.versions(id)).map((x) => x.version)).toEqual([6]);
  });

  it('numbers versions uniquely when two processes promote into one database', async () => {
    const second = await Store.open(target!.target);
    try {
      const other = new ModelRepository(second.dialect);
      const id = await models.ensureModel('shared', 4000);
      expect(await other.ensureModel('shared', 4001)).toBe(id);
      const writers = [models, other, models, other, models, other];
      // Two SQLite connections in one process would block each other's synchronous driver calls,
      // so on SQLite the two stores take turns; PostgreSQL's two pools really run at once.
      const numbers = kind === 'postgres'
        ? await Promise.all(writers.map((w, i) => w.insertVersion(id, draft(i / 10), 4002)))
        : await writers.reduce(async (acc, w, i) => [...(await acc), await w.insertVersion(id, draft(i / 10), 4002)], Promise.resolve([] as number[]));
      expect([...numbers].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(await other.deleteVersion(id, 6)).toBe('deleted');
      expect(await models.insertVersion(id, draft(0.9), 4003)).toBe(7);
    } finally {
      await second.close();
    }
  });
});

/** A database made before the version counter existed is upgraded with each model's counter at its highest version. */
describe.each(['sqlite', 'postgres'])('model version counter migration: %s', (kind) => {
  const tmp = tempDir();
  let target: TestTarget | undefined;
  afterAll(async () => {
    await target?.drop();
    tmp.cleanup();
  });

  test('initialises the counter from MAX(version) and keeps every version row', async () => {
    target = kind === 'sqlite' ? sqliteTarget(tmp.dir) : await postgresTarget();
    if (!target) return console.warn('PostgreSQL not reachable: the postgres migration suite is skipped');
    const before = new DataSource({ ...dataSourceOptions(target.target), migrations: MIGRATIONS.filter((m) => m !== ModelVersionCounter1732290000000) });
    await before.initialize();
    await before.runMigrations({ transaction: 'each' });
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

    const store = await Store.open(target.target);
    try {
      const models = new ModelRepository(store.dialect);
      const id = (await models.modelId('gappy'))!;
      expect((await models.versions(id)).map((v) => v.version)).toEqual([5, 2, 1]);
      expect(await models.insertVersion(id, draft(0.5), 2)).toBe(6);
      expect(await models.insertVersion((await models.modelId('empty'))!, draft(0.5), 2)).toBe(1);
    } finally {
      await store.close();
    }
  });
});
