import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseConfigText } from '../../../src/config/config-loader';
import { readExperimentConfig, validateExperiment } from '../../../src/trials/experiment-validation';

const ROOT = resolve(__dirname, '../../..');
const minimal = {
  name: 'm',
  objective: { metric: 'loss', direction: 'minimize' },
  space: { x: { type: 'float', low: 0, high: 1 } },
  trial: { kind: 'module', module: 'test/fixtures/objectives/quadratic.js' },
};
const problems = (raw: unknown) => readExperimentConfig(raw).problems;

describe('experiment config', () => {
  it('fills defaults for everything optional', () => {
    const { spec } = readExperimentConfig(minimal);
    expect(spec).toMatchObject({
      search: { algorithm: 'random', seed: 0, settings: {} },
      budget: { maxTrials: 20, parallelism: 1, trialTimeoutSec: 600, maxFailedTrials: 10 },
      pruning: { algorithm: 'none' },
      trial: { export: 'objective' },
    });
  });

  it('lists every problem at once, each by path', () => {
    const raw = {
      name: 'bad name!',
      objective: { metric: 'loss', direction: 'down' },
      space: {
        lr: { type: 'float', low: -1, high: 1, log: true },
        n: { type: 'int', low: 5, high: 1 },
        c: { type: 'categorical', values: [] },
        s: { type: 'float', low: 0, high: 1, step: 2 },
      },
      budget: { maxTrials: 0, parallelism: 1.5 },
      trial: { kind: 'tfjs' },
      extra: 1,
    };
    expect(problems(raw).map((p) => `${p.path}: ${p.message}`)).toEqual(
      expect.arrayContaining([
        'extra: unknown key (allowed: name, description, objective, objectives, constraints, space, search, budget, pruning, trial, registry)',
        'name: must match /^[A-Za-z0-9_-]+$/ (letters, digits, - and _)',
        'objective.direction: must be one of minimize, maximize',
        'space.lr.low: must be > 0 when log is true',
        'space.n.low: must be <= high (1)',
        'space.c.values: must be a non-empty list',
        'space.s.step: must be <= high - low (1)',
        'budget.maxTrials: must be >= 1',
        'budget.parallelism: must be an integer',
        'trial.task: is required',
        'trial.dataset: is required',
      ]),
    );
  });

  it('checks conditions against their parents', () => {
    const space = { opt: { type: 'categorical', values: ['adam', 'sgd'] }, m: { type: 'float', low: 0, high: 1, when: { opt: 'rmsprop' } } };
    expect(problems({ ...minimal, space })).toEqual([{ path: 'space.m.when.opt', message: "must be among opt's values (adam, sgd)" }]);
  });

  it('parses YAML and JSON alike, and reports syntax errors and duplicate keys by line', () => {
    expect(parseConfigText('{"name": "a"}')).toEqual({ name: 'a' });
    expect(parseConfigText('name: a\nspace: {x: {type: int, low: 1, high: 2}}')).toEqual({ name: 'a', space: { x: { type: 'int', low: 1, high: 2 } } });
    expect(() => parseConfigText('name: a\nname: b')).toThrow(/line 2/);
  });

  it('validates algorithms, their settings, built-in model parameters and files before anything runs', () => {
    const check = (raw: object) => {
      try {
        validateExperiment(raw, ROOT);
        return [];
      } catch (error) {
        return (error as { problems: { path: string; message: string }[] }).problems;
      }
    };
    expect(check(minimal)).toEqual([]);
    expect(check({ ...minimal, search: { algorithm: 'grid' } })).toEqual([
      { path: 'space.x', message: 'a float needs `step` or `gridPoints` for grid search' },
    ]);
    expect(check({ ...minimal, pruning: { algorithm: 'asha', settings: { reductionFactor: 1 } } })[0].path).toBe('pruning.settings.reductionFactor');
    expect(check({ ...minimal, trial: { kind: 'module', module: 'missing.js' } })[0]).toEqual({
      path: 'trial.module',
      message: `file not found: ${resolve(ROOT, 'missing.js')}`,
    });
    const tfjs = {
      ...minimal,
      objective: { metric: 'accuracy', direction: 'maximize' },
      space: { units: { type: 'int', low: 1, high: 4 }, activation: { type: 'categorical', values: ['relu', 'swishy'] } },
      trial: { kind: 'tfjs', task: 'classification', dataset: { path: 'experiments/data/iris.csv', target: 'species' } },
    };
    expect(check(tfjs).map((p) => p.path)).toEqual(['space.units', 'space.activation.values[1]', 'objective.metric']);
  });

  it("checks a dataset's columns and a command's placeholders before anything runs", () => {
    const dir = mkdtempSync(join(tmpdir(), 'hpo-config-'));
    try {
      writeFileSync(join(dir, 'labels.csv'), 'a,b,kind\n1,2,x\n3,4,y\n');
      writeFileSync(join(dir, 'one-class.csv'), 'a,kind\n1,x\n3,x\n');
      writeFileSync(join(dir, 'broken.csv'), 'a,b\n1,"2\n');
      const problems = (trial: object) => {
        try {
          validateExperiment(
            { name: 'd', objective: { metric: 'val_loss', direction: 'minimize' }, space: { learning_rate: { type: 'float', low: 0.001, high: 0.1 } }, trial },
            dir,
          );
          return [];
        } catch (error) {
          return (error as { problems: { path: string; message: string }[] }).problems;
        }
      };
      const tfjs = (task: string, file: string, target: string) => ({ kind: 'tfjs', task, dataset: { path: file, target } });
      expect(problems(tfjs('classification', 'labels.csv', 'kind'))).toEqual([]);
      expect(problems(tfjs('classification', 'labels.csv', 'nope'))).toEqual([
        { path: 'trial.dataset.target', message: `no column "nope" in ${join(dir, 'labels.csv')} (columns: a, b, kind)` },
      ]);
      expect(problems(tfjs('regression', 'labels.csv', 'kind'))).toEqual([
        {
          path: 'trial.dataset.target',
          message: 'a regression target must be numeric; column "kind" has values such as "x" (use task: classification for labels)',
        },
      ]);
      expect(problems(tfjs('classification', 'one-class.csv', 'kind'))[0].message).toBe(
        'a classification target needs at least two classes; column "kind" has 1',
      );
      expect(problems(tfjs('classification', 'broken.csv', 'b'))[0]).toMatchObject({
        path: 'trial.dataset.path',
        message: expect.stringMatching(/^not a usable CSV file: .*broken\.csv: line 2/),
      });
      const command = { kind: 'command', command: ['python3', 'train.py', '--lr={learning_rate}', '--depth', '{depth}'] };
      expect(problems(command)).toEqual([{ path: 'trial.command[4]', message: '{depth} names no parameter of the space (parameters: learning_rate)' }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lists model, algorithm and file problems even when the structure has problems too', () => {
    const raw = {
      name: 'x',
      objective: { metric: 'val_accuracy', direction: 'maximize' },
      search: { algorithm: 'magic' },
      space: { neurons: { type: 'int', low: 1, high: 0 } },
      trial: { kind: 'tfjs', task: 'classification', dataset: { path: 'data/wine.csv', target: 'cultivar' } },
    };
    let problems: { path: string }[] = [];
    try {
      validateExperiment(raw, ROOT);
    } catch (error) {
      problems = (error as { problems: { path: string }[] }).problems;
    }
    expect(problems.map((p) => p.path)).toEqual(['space.neurons.low', 'search.algorithm', 'space.neurons', 'trial.dataset.path']);
  });
});
