import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArtifactIntegrityError, ArtifactStore, CHECKSUMS_FILE, sha256 } from '../../../src/registry/artifact-store';
import { tempDir } from '../../support/temp-dir';

describe('artifact store checksums', () => {
  const tmp = tempDir('hpo-artifacts-');
  afterAll(() => tmp.cleanup());
  const files = new Map([
    ['model.json', Buffer.from('{"a":1}')],
    ['weights.bin', Buffer.from([1, 2, 3, 4, 5, 6, 7, 8])],
  ]);

  async function stored(version: number) {
    const store = new ArtifactStore(tmp.dir);
    const staged = await store.stage('m', files);
    await store.commit(staged.dir, 'm', version);
    return { store, records: staged.files, dir: store.dirOf('m', version) };
  }

  it('records size and SHA-256 per file and writes them into checksums.json beside the files', async () => {
    const { records, dir } = await stored(1);
    expect(records).toEqual([
      { name: 'model.json', bytes: 7, sha256: sha256(Buffer.from('{"a":1}')) },
      { name: 'weights.bin', bytes: 8, sha256: sha256(Buffer.from([1, 2, 3, 4, 5, 6, 7, 8])) },
    ]);
    expect(sha256(Buffer.from('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(JSON.parse(readFileSync(join(dir, CHECKSUMS_FILE), 'utf8'))).toEqual({ algorithm: 'sha256', files: records });
  });

  it('reads back intact files', async () => {
    const { store, records } = await stored(2);
    const read = await store.readVerified('m', 2, records);
    expect(read.get('weights.bin')).toEqual(files.get('weights.bin'));
  });

  it('refuses a changed file, naming it', async () => {
    const { store, records, dir } = await stored(3);
    writeFileSync(join(dir, 'weights.bin'), Buffer.from([1, 2, 3, 4, 5, 6, 7, 9]));
    await expect(store.readVerified('m', 3, records)).rejects.toThrow(
      new ArtifactIntegrityError('model m version 3: weights.bin fails its SHA-256 check (changed since it was stored)'),
    );
  });

  it('refuses a truncated file and a missing one', async () => {
    const { store, records, dir } = await stored(4);
    truncateSync(join(dir, 'weights.bin'), 4);
    await expect(store.readVerified('m', 4, records)).rejects.toThrow(/weights\.bin has 4 bytes, 8 recorded/);
    await expect(store.readVerified('m', 5, records)).rejects.toThrow(/model\.json cannot be read \(ENOENT\)/);
  });
});
