import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BadRequestError } from '../../../src/domain/errors';
import { ArtifactIntake } from '../../../src/fleet/artifact-intake';
import { InputCatalog, sha256Of } from '../../../src/fleet/input-catalog';
import { withLocalInputs } from '../../../src/fleet/trial-inputs';
import { tempDir } from '../../support/temp-dir';

describe('files between the service and its workers', () => {
  const tmp = tempDir('hpo-transfer-');
  afterAll(() => tmp.cleanup());

  it('serves only files a trial references, by hash, and not once the file changed', () => {
    const file = join(tmp.dir, 'objective.js');
    writeFileSync(file, 'exports.objective = async () => 1;');
    const other = join(tmp.dir, 'secret.txt');
    writeFileSync(other, 'not referenced');
    const catalog = new InputCatalog();
    const [input] = catalog.inputsOf({ kind: 'module', module: file, export: 'objective' } as never);
    expect(input).toMatchObject({ field: 'module', name: 'objective.js', sha256: sha256Of(readFileSync(file)) });
    expect(catalog.read(input.sha256)!.toString()).toContain('objective');
    expect(catalog.read(sha256Of(readFileSync(other)))).toBeUndefined();
    writeFileSync(file, 'changed');
    expect(catalog.read(input.sha256)).toBeUndefined();
    // A command trial names no file to send: it runs what the worker's machine has.
    expect(catalog.inputsOf({ kind: 'command', command: ['true'] } as never)).toEqual([]);
  });

  it("points a trial config's file fields at the worker's copies", () => {
    const trial = { kind: 'tfjs', dataset: { path: '/service/data/iris.csv', target: 'species' } };
    const copy = withLocalInputs(
      trial as never,
      [{ field: 'dataset.path', sha256: 'ab', name: 'iris.csv', bytes: 1 }],
      new Map([['ab', '/cache/ab/iris.csv']]),
    );
    expect(copy).toEqual({ kind: 'tfjs', dataset: { path: '/cache/ab/iris.csv', target: 'species' } });
    expect(trial.dataset.path).toBe('/service/data/iris.csv');
  });

  it('writes uploaded artifact files inside the trial folder only, and only with their checksum', () => {
    const intake = new ArtifactIntake();
    const bytes = Buffer.from('{"weights": []}');
    intake.write(tmp.dir, 'model/model.json', bytes, sha256Of(bytes));
    expect(readFileSync(join(tmp.dir, 'model/model.json'), 'utf8')).toBe('{"weights": []}');
    for (const name of ['../escape.json', '/etc/passwd', 'a/../../b', ''])
      expect(() => intake.write(tmp.dir, name, bytes, sha256Of(bytes))).toThrow(BadRequestError);
    expect(() => intake.write(tmp.dir, 'weights.bin', bytes, sha256Of(Buffer.from('other')))).toThrow(/SHA-256/);
  });
});
