import { chmodSync, mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { envNameProblem, programProblem } from '../../../src/auth/command-policy';
import { networkInputPolicy } from '../../../src/auth/network-input-policy';
import { checkNetworkPath, isWithin, pathTextProblem } from '../../../src/auth/path-roots';
import { readPathRoots } from '../../../src/config/path-root-settings';
import { SettingsError } from '../../../src/domain/errors';
import { validateExperiment } from '../../../src/trials/experiment-validation';
import { tempDir } from '../../support/temp-dir';

describe('path roots', () => {
  const tmp = tempDir('hpo-auth-');
  const base = realpathSync(tmp.dir);
  const root = join(base, 'root');
  const outside = join(base, 'outside');
  beforeAll(() => {
    mkdirSync(join(root, 'sub'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(root, 'sub', 'a.csv'), 'x,y\n1,2\n3,4\n');
    writeFileSync(join(outside, 'b.csv'), 'x,y\n1,2\n3,4\n');
    writeFileSync(join(root, 'run.sh'), '#!/bin/sh\n');
    chmodSync(join(root, 'run.sh'), 0o755);
    symlinkSync(join(outside, 'b.csv'), join(root, 'b-link.csv'));
    symlinkSync(join(root, 'sub', 'a.csv'), join(root, 'a-link.csv'));
  });
  afterAll(() => tmp.cleanup());
  const want = { type: 'file' as const, roots: [root], rootsName: 'HPO_DATA_ROOTS' };

  it('tells a root and what lies below it from a sibling with the same prefix', () => {
    expect(isWithin('/srv/data', '/srv/data')).toBe(true);
    expect(isWithin('/srv/data', '/srv/data/x')).toBe(true);
    expect(isWithin('/srv/data', '/srv/data-evil/x')).toBe(false);
    expect(isWithin('/', '/etc')).toBe(true);
  });

  it('refuses NUL, encoding (once or twice), backslashes and .. in the text', () => {
    expect(pathTextProblem('a\0b')).toMatch(/NUL/);
    expect(pathTextProblem('%2e%2e/x')).toMatch(/percent-encoded/);
    expect(pathTextProblem('%252e%252e/x')).toMatch(/percent-encoded/);
    expect(pathTextProblem('a\\..\\b')).toMatch(/backslash/);
    expect(pathTextProblem('a/../b')).toMatch(/\.\./);
    expect(pathTextProblem('..')).toMatch(/\.\./);
    expect(pathTextProblem('a/..b/c..d/100%')).toBeUndefined();
  });

  it('resolves symlinks before checking, and answers alike for what is outside whether it exists or not', () => {
    expect(checkNetworkPath('sub/a.csv', root, want)).toEqual({ ok: true, path: join(root, 'sub', 'a.csv') });
    expect(checkNetworkPath(join(root, 'a-link.csv'), '/', want)).toEqual({ ok: true, path: join(root, 'sub', 'a.csv') });
    const refused = checkNetworkPath(join(outside, 'b.csv'), '/', want);
    expect(refused.ok).toBe(false);
    expect(checkNetworkPath(join(root, 'b-link.csv'), '/', want)).toEqual(refused);
    expect(checkNetworkPath(join(outside, 'none.csv'), '/', want)).toEqual(refused);
    expect(checkNetworkPath('/etc/passwd', '/', want)).toEqual(refused);
    expect(checkNetworkPath(join(root, 'none.csv'), '/', want)).toEqual({ ok: false, problem: `file not found: ${join(root, 'none.csv')}` });
    expect(checkNetworkPath(join(root, 'sub'), '/', want)).toEqual({ ok: false, problem: `is not a file: ${join(root, 'sub')}` });
    expect(checkNetworkPath(join(root, 'sub'), '/', { ...want, type: 'folder' })).toEqual({ ok: true, path: join(root, 'sub') });
  });

  it('starts only programs the operator named: by name, or by real path', () => {
    expect(programProblem('sh', root, [])).toMatch(/HPO_COMMANDS/);
    expect(programProblem('sh', root, ['python3'])).toMatch(/not a program/);
    expect(programProblem('python3', root, ['python3'])).toBeUndefined();
    expect(programProblem('./run.sh', root, [join(root, 'run.sh')])).toBeUndefined();
    expect(programProblem('/bin/sh', root, ['sh'])).toMatch(/not a program/);
    expect(programProblem('../root/run.sh', root, [join(root, 'run.sh')])).toMatch(/\.\./);
  });

  it('refuses environment names that choose what code runs, in any case', () => {
    for (const name of ['PATH', 'path', 'NODE_OPTIONS', 'LD_PRELOAD', 'LD_LIBRARY_PATH', 'DYLD_INSERT_LIBRARIES', 'PYTHONPATH', 'BASH_ENV', 'HPO_SEED', 'A=B'])
      expect(envNameProblem(name)).toBeDefined();
    expect(envNameProblem('OMP_NUM_THREADS')).toBeUndefined();
  });

  it('reads the roots once at boot: real folders, defaults to the working directory, a missing one is a SettingsError', () => {
    symlinkSync(root, join(base, 'root-link'));
    expect(readPathRoots({ HPO_DATA_ROOTS: `${join(base, 'root-link')}:${outside}` }, base)).toEqual({ data: [root, outside], code: [base], commands: [] });
    expect(readPathRoots({ HPO_COMMANDS: 'python3:./root/run.sh' }, base).commands).toEqual(['python3', join(root, 'run.sh')]);
    expect(() => readPathRoots({ HPO_CODE_ROOTS: join(base, 'nope') }, base)).toThrow(SettingsError);
    expect(() => readPathRoots({ HPO_COMMANDS: './nope' }, base)).toThrow(/HPO_COMMANDS/);
  });

  it('holds network submissions to the roots, and leaves a local config file its freedom', () => {
    const config = {
      name: 'local',
      objective: { metric: 'val_accuracy', direction: 'maximize' },
      space: { learning_rate: { type: 'float', low: 0.001, high: 0.1 } },
      trial: { kind: 'tfjs', task: 'classification', dataset: { path: join(outside, 'b.csv'), target: 'y' } },
    };
    const rules = networkInputPolicy({ data: [root], code: [root], commands: [] });
    expect(validateExperiment(config, outside).trial).toMatchObject({ dataset: { path: join(outside, 'b.csv') } });
    expect(validateExperiment(config, { origin: 'local-file', baseDir: outside }, rules).trial).toMatchObject({ dataset: { path: join(outside, 'b.csv') } });
    expect(() => validateExperiment(config, { origin: 'network', baseDir: root }, rules)).toThrow(/trial.dataset.path: is not allowed/);
    // Without rules a network submission may name nothing: closed by default.
    const inside = { ...config, trial: { ...config.trial, dataset: { path: join(root, 'sub', 'a.csv'), target: 'y' } } };
    expect(() => validateExperiment(inside, { origin: 'network', baseDir: root })).toThrow(/accepts no paths over the network/);
    expect(validateExperiment(inside, { origin: 'network', baseDir: root }, rules).trial).toMatchObject({ dataset: { path: join(root, 'sub', 'a.csv') } });
  });
});
