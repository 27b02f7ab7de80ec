import { readExperimentConfig } from '../../../src/trials/experiment-validation';

const base = {
  name: 'mo',
  space: { x: { type: 'float', low: 0, high: 1 } },
  search: { algorithm: 'evolution' },
  trial: { kind: 'module', module: 'test/fixtures/objectives/quadratic.js' },
};
const two = [
  { metric: 'loss', direction: 'minimize' },
  { metric: 'size', direction: 'minimize' },
];
const problems = (raw: unknown) => readExperimentConfig(raw).problems;

describe('several objectives and constraints in the config', () => {
  it('reads objectives and constraints, the first objective as objective', () => {
    const { spec } = readExperimentConfig({ ...base, objectives: two, constraints: [{ metric: 'latency', max: 5 }] });
    expect(spec?.objective).toEqual(two[0]);
    expect(spec?.objectives).toEqual(two);
    expect(spec?.constraints).toEqual([{ metric: 'latency', max: 5 }]);
  });

  it('refuses both objective and objectives, neither, too few or too many, and repeats, by path', () => {
    expect(problems({ ...base, objective: two[0], objectives: two })).toContainEqual(expect.objectContaining({ path: 'objectives' }));
    expect(problems(base)).toContainEqual(expect.objectContaining({ path: 'objective' }));
    expect(problems({ ...base, objectives: [two[0]] })).toContainEqual(expect.objectContaining({ path: 'objectives' }));
    expect(problems({ ...base, objectives: [...two, { metric: 'a', direction: 'minimize' }, { metric: 'b', direction: 'minimize' }] })).toContainEqual(
      expect.objectContaining({ path: 'objectives', message: 'must have at most 3 items' }),
    );
    expect(problems({ ...base, objectives: [two[0], two[0]] })).toContainEqual(expect.objectContaining({ path: 'objectives[1].metric' }));
  });

  it('refuses a constraint without a bound', () => {
    expect(problems({ ...base, objective: two[0], constraints: [{ metric: 'size' }] })).toContainEqual(expect.objectContaining({ path: 'constraints[0]' }));
  });

  it.each(['random', 'grid', 'cmaes', 'sobol'])('refuses several objectives with %s, naming search.algorithm', (algorithm) => {
    const found = problems({ ...base, search: { algorithm }, space: { x: { type: 'float', low: 0, high: 1, step: 0.5 } }, objectives: two });
    expect(found).toContainEqual({ path: 'search.algorithm', message: expect.stringContaining('use bayes or evolution or tpe') });
  });

  it('accepts several objectives and constraints with bayes', () => {
    expect(problems({ ...base, search: { algorithm: 'bayes' }, objectives: two, constraints: [{ metric: 'size', max: 3 }] })).toEqual([]);
  });

  it('refuses pruning with several objectives', () => {
    expect(problems({ ...base, objectives: two, pruning: { algorithm: 'median' } })).toContainEqual(expect.objectContaining({ path: 'pruning.algorithm' }));
  });

  it('reads a promotion rule and refuses one without a metric to rank by', () => {
    const tfjs = {
      name: 'mo',
      objectives: [
        { metric: 'val_accuracy', direction: 'maximize' },
        { metric: 'model_bytes', direction: 'minimize' },
      ],
      space: { hidden_units: { type: 'int', low: 4, high: 32 } },
      search: { algorithm: 'tpe' },
      trial: { kind: 'tfjs', task: 'classification', model: 'mlp', dataset: { path: 'experiments/data/iris.csv', target: 'species' } },
    };
    const rule = { maximize: 'val_accuracy', subjectTo: { model_bytes: { max: 20000 } } };
    expect(readExperimentConfig({ ...tfjs, registry: { model: 'm', promote: rule } }).spec?.registry?.promote).toEqual(rule);
    expect(problems({ ...tfjs, registry: { model: 'm', promote: { subjectTo: {} } } })).toContainEqual(expect.objectContaining({ path: 'registry.promote' }));
    expect(problems({ ...tfjs, objectives: [tfjs.objectives[0], { metric: 'nope', direction: 'minimize' }] })).toContainEqual(
      expect.objectContaining({ path: 'objectives[1].metric' }),
    );
  });
});
