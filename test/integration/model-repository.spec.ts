import { ModelRepository } from '../../src/storage/repositories/model.repository';
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
});
