import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { claimFolder, STORE_MARKER } from '../../src/context/store-folders';
import { SettingsError } from '../../src/domain/errors';
import { hpo } from '../support/cli-runner';
import { describePostgres, postgresTarget, TestTarget } from '../support/storage-targets';
import { tempDir } from '../support/temp-dir';

const IRIS = resolve(__dirname, '../../experiments/data/iris.csv');
const irisConfig = (epochs: number) => `
name: iris-folders
objective: {metric: val_accuracy, direction: maximize}
space: {learning_rate: {type: categorical, values: [0.05]}}
budget: {maxTrials: 1}
trial: {kind: tfjs, task: classification, dataset: {path: ${IRIS}, target: species}, epochs: ${epochs}, batchSize: 16}
registry: {model: iris-classifier}
`;

describe('artifact and registry folders belong to their database', () => {
  const tmp = tempDir('hpo-folders-');
  afterAll(() => tmp.cleanup());

  it('marks a new folder as its database, keeps it, and refuses it to another database, saying whose it is', () => {
    const dir = join(tmp.dir, 'new');
    claimFolder(dir, 'store-a', '/data/a.db', 'artifacts');
    expect(JSON.parse(readFileSync(join(dir, STORE_MARKER), 'utf8'))).toEqual({ store: 'store-a', database: '/data/a.db' });
    expect(() => claimFolder(dir, 'store-a', '/data/a.db', 'artifacts')).not.toThrow();
    expect(() => claimFolder(dir, 'store-b', 'postgres://u:secret@h/b', 'artifacts')).toThrow(SettingsError);
    expect(() => claimFolder(dir, 'store-b', 'postgres://u:secret@h/b', 'artifacts')).toThrow(
      `${dir} holds the artifacts of another database (/data/a.db, store store-a), not of postgres://u:***@h/b: point HPO_ARTIFACTS_DIR at a folder of its own`,
    );
    expect(() => claimFolder(dir, 'store-a2', '/data/a.db', 'artifacts')).toThrow(
      `${dir} holds the artifacts of an earlier database at /data/a.db (store store-a), not of the one there now (store store-a2): remove the folder if that database is gone for good, or point HPO_ARTIFACTS_DIR at a folder of its own`,
    );
    const legacy = join(tmp.dir, 'legacy');
    mkdirSync(join(legacy, '1'), { recursive: true });
    claimFolder(legacy, 'store-c', '/data/c.db', 'registry');
    expect(JSON.parse(readFileSync(join(legacy, STORE_MARKER), 'utf8'))).toMatchObject({ store: 'store-c', adopted: expect.any(String) });
  });

  it('refuses to open a SQLite database whose files would go to the folder of another database', () => {
    const dir = join(tmp.dir, 'sqlite');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.yaml'), irisConfig(2));
    const shared = { HPO_ARTIFACTS_DIR: join(dir, 'shared-artifacts') };
    expect(hpo(['run', 'a.yaml', '--db', 'a.db'], dir, shared).status).toBe(0);
    const other = hpo(['run', 'a.yaml', '--db', 'b.db'], dir, shared);
    expect(other.status).toBe(2);
    expect(other.stderr).toContain(`holds the artifacts of another database (${join(dir, 'a.db')}`);
  });
});

describePostgres('two PostgreSQL databases used from one folder', () => {
  const tmp = tempDir('hpo-two-pg-');
  let a: TestTarget;
  let b: TestTarget;
  beforeAll(async () => {
    [a, b] = [await postgresTarget(), await postgresTarget()];
  });
  afterAll(async () => {
    await a?.drop();
    await b?.drop();
    tmp.cleanup();
  });

  it('keep their trained and registered models apart, and each is found from any folder', () => {
    const url = (t: TestTarget) => (t.target as { url: string }).url;
    const env = { HPO_HOME: join(tmp.dir, 'home') };
    const work = join(tmp.dir, 'work');
    const elsewhere = join(tmp.dir, 'elsewhere');
    mkdirSync(work);
    mkdirSync(elsewhere);
    writeFileSync(join(work, 'a.yaml'), irisConfig(3));
    writeFileSync(join(work, 'b.yaml'), irisConfig(12));
    writeFileSync(join(elsewhere, 'rows.json'), JSON.stringify([[5.1, 3.5, 1.4, 0.2]]));
    expect(hpo(['run', 'a.yaml', '--db', url(a)], work, env).status).toBe(0);
    expect(hpo(['run', 'b.yaml', '--db', url(b)], work, env).status).toBe(0);
    // The run that used to overwrite A's files from B: both models still pass their checksums, from another folder too.
    for (const target of [a, b]) {
      const predicted = hpo(['predict', 'iris-classifier', '--input', 'rows.json', '--db', url(target), '--json'], elsewhere, env);
      expect([predicted.status, predicted.stderr]).toEqual([0, '']);
      expect(JSON.parse(predicted.stdout)).toMatchObject({ model: 'iris-classifier', version: 1 });
    }
    const versionOf = (t: TestTarget) => JSON.parse(hpo(['models', 'show', 'iris-classifier', '--db', url(t), '--json'], elsewhere, env).stdout).versions[0];
    expect(versionOf(a).files).not.toEqual(versionOf(b).files);
  });
});
