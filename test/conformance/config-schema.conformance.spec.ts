import Ajv2020 from 'ajv/dist/2020';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { configBaseDir, readConfigFile } from '../../src/config/config-loader';
import { collectExperimentProblems, experimentJsonSchema } from '../../src/trials/experiment-validation';

const EXPERIMENTS = resolve(__dirname, '../../experiments');
const FIXTURES = resolve(__dirname, '../fixtures');

/** The generated JSON Schema, compiled by a standard validator that knows nothing of ours. */
function compiledSchema() {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictRequired: false, allowUnionTypes: true });
  ajv.addKeyword({ keyword: 'x-rules', metaSchema: { type: 'array', items: { type: 'string' } } });
  return ajv.compile(experimentJsonSchema());
}

const moduleBase = {
  name: 'agree',
  objective: { metric: 'loss', direction: 'minimize' },
  space: { x: { type: 'float', low: -5, high: 5 }, k: { type: 'int', low: 1, high: 4, step: 1 }, c: { type: 'categorical', values: ['a', 'b'] } },
  trial: { kind: 'module', module: join(FIXTURES, 'objectives/quadratic.js') },
};
const tfjsBase = {
  name: 'agree-tfjs',
  objective: { metric: 'val_accuracy', direction: 'maximize' },
  space: {
    learning_rate: { type: 'float', low: 0.001, high: 0.1, log: true },
    optimizer: { type: 'categorical', values: ['adam', 'sgd'] },
    momentum: { type: 'float', low: 0, high: 0.9, when: { optimizer: 'sgd' } },
  },
  trial: { kind: 'tfjs', task: 'classification', dataset: { path: join(EXPERIMENTS, 'data/iris.csv'), target: 'species' } },
  registry: { model: 'iris-x' },
};
const autoBase = { ...tfjsBase, name: 'agree-auto', space: undefined, trial: { ...tfjsBase.trial, model: 'auto', earlyStopping: { patience: 3 } } };
delete (autoBase as Raw).space;
const commandBase = { ...moduleBase, name: 'agree-command', trial: { kind: 'command', command: ['node', 'x.js', '{x}'], cwd: FIXTURES, env: { A: 'b' } } };

type Raw = Record<string, any>;
const edit = (base: Raw, change: (c: Raw) => void): Raw => {
  const copy = structuredClone(base);
  change(copy);
  return copy;
};

/** Configs with something wrong: structural mistakes, and rules beyond what JSON Schema can say. */
const BAD: [string, Raw][] = [
  ['not an object', [1, 2] as unknown as Raw],
  ['no name', edit(moduleBase, (c) => delete c.name)],
  ['a name with spaces', edit(moduleBase, (c) => (c.name = 'a b'))],
  ['a name too long', edit(moduleBase, (c) => (c.name = 'n'.repeat(101)))],
  ['an unknown top-level key', edit(moduleBase, (c) => (c.extra = 1))],
  ['an unknown direction', edit(moduleBase, (c) => (c.objective.direction = 'down'))],
  ['an empty space', edit(moduleBase, (c) => (c.space = {}))],
  ['a parameter with a bad name', edit(moduleBase, (c) => (c.space['x y'] = { type: 'int', low: 1, high: 2 }))],
  ['a reserved parameter name', edit(moduleBase, (c) => (c.space.constructor = { type: 'int', low: 1, high: 2 }))],
  ['a parameter of an unknown type', edit(moduleBase, (c) => (c.space.x.type = 'complex'))],
  ['a float without high', edit(moduleBase, (c) => delete c.space.x.high)],
  ['a non-integer int bound', edit(moduleBase, (c) => (c.space.k.low = 1.5))],
  ['an unknown key in a parameter', edit(moduleBase, (c) => (c.space.k.gridPoints = 3))],
  ['a log float at zero', edit(moduleBase, (c) => Object.assign(c.space.x, { low: 0, log: true }))],
  ['a log float with a step', edit(moduleBase, (c) => Object.assign(c.space.x, { low: 1, log: true, step: 0.5 }))],
  ['a log int with step 2', edit(moduleBase, (c) => Object.assign(c.space.k, { log: true, step: 2 }))],
  ['step and gridPoints together', edit(moduleBase, (c) => Object.assign(c.space.x, { step: 1, gridPoints: 3 }))],
  ['a zero step', edit(moduleBase, (c) => (c.space.x.step = 0))],
  ['empty categorical values', edit(moduleBase, (c) => (c.space.c.values = []))],
  ['repeated categorical values', edit(moduleBase, (c) => (c.space.c.values = ['a', 'a']))],
  ['a categorical value that is an object', edit(moduleBase, (c) => (c.space.c.values = [{}]))],
  ['a when that is a list', edit(moduleBase, (c) => (c.space.x.when = ['c']))],
  ['an empty when', edit(moduleBase, (c) => (c.space.x.when = {}))],
  ['an unknown search algorithm', edit(moduleBase, (c) => (c.search = { algorithm: 'magic' }))],
  ['an unknown sampler setting', edit(moduleBase, (c) => (c.search = { algorithm: 'bayes', settings: { nope: 1 } }))],
  ['a sampler setting out of range', edit(moduleBase, (c) => (c.search = { algorithm: 'bayes', settings: { candidates: 3 } }))],
  ['a sampler setting of the wrong type', edit(moduleBase, (c) => (c.search = { algorithm: 'bayes', settings: { acquisition: 'pi' } }))],
  ['a negative seed', edit(moduleBase, (c) => (c.search = { seed: -1 }))],
  ['an unknown pruner', edit(moduleBase, (c) => (c.pruning = { algorithm: 'hyperband' }))],
  ['a pruner setting out of range', edit(moduleBase, (c) => (c.pruning = { algorithm: 'asha', settings: { reductionFactor: 1 } }))],
  ['maxTrials of zero', edit(moduleBase, (c) => (c.budget = { maxTrials: 0 }))],
  ['maxTrials over the limit', edit(moduleBase, (c) => (c.budget = { maxTrials: 1e9 }))],
  ['fractional parallelism', edit(moduleBase, (c) => (c.budget = { parallelism: 1.5 }))],
  ['a zero timeout', edit(moduleBase, (c) => (c.budget = { trialTimeoutSec: 0 }))],
  ['an unknown budget key', edit(moduleBase, (c) => (c.budget = { maxTrial: 5 }))],
  ['no trial', edit(moduleBase, (c) => delete c.trial)],
  ['an unknown trial kind', edit(moduleBase, (c) => (c.trial.kind = 'docker'))],
  ['a module with a bad export name', edit(moduleBase, (c) => (c.trial.export = 'not-an-identifier'))],
  ['a module trial with a dataset', edit(moduleBase, (c) => (c.trial.dataset = {}))],
  ['a command that is a string', edit(commandBase, (c) => (c.trial.command = 'node x.js'))],
  ['an empty command', edit(commandBase, (c) => (c.trial.command = []))],
  ['an env value that is a number', edit(commandBase, (c) => (c.trial.env = { A: 1 }))],
  ['a tfjs trial without a task', edit(tfjsBase, (c) => delete c.trial.task)],
  ['a tfjs trial with an unknown model', edit(tfjsBase, (c) => (c.trial.model = 'transformer'))],
  ['a validation fraction of 1', edit(tfjsBase, (c) => (c.trial.dataset.validation = { fraction: 1 }))],
  ['zero epochs', edit(tfjsBase, (c) => (c.trial.epochs = 0))],
  ['a parameter the built-in model does not have', edit(tfjsBase, (c) => (c.space.neurons = { type: 'int', low: 1, high: 4 }))],
  ['an optimizer the model does not know', edit(tfjsBase, (c) => (c.space.optimizer.values = ['adam', 'lion']))],
  ['a numeric activation', edit(tfjsBase, (c) => (c.space.activation = { type: 'float', low: 0, high: 1 }))],
  ['an objective the model does not report', edit(tfjsBase, (c) => (c.objective.metric = 'accuracy'))],
  ['a regression objective on a classifier', edit(tfjsBase, (c) => (c.objective.metric = 'val_rmse'))],
  ['a registry section on a module trial', edit(moduleBase, (c) => (c.registry = { model: 'm' }))],
  ['a registry with a bad alias', edit(tfjsBase, (c) => (c.registry.alias = 'a b'))],
  ['a registry with an unknown quantization', edit(tfjsBase, (c) => (c.registry.quantize = 'int4'))],
  // Beyond JSON Schema: rules across fields, names that must exist elsewhere, what reading files tells.
  ['low above high', edit(moduleBase, (c) => Object.assign(c.space.x, { low: 6 }))],
  ['a step wider than the range', edit(moduleBase, (c) => Object.assign(c.space.x, { step: 20 }))],
  ['a when naming no parameter', edit(moduleBase, (c) => (c.space.x.when = { nope: 'a' }))],
  ['a when on a value the parent cannot take', edit(moduleBase, (c) => (c.space.x.when = { c: 'z' }))],
  [
    'conditions in a cycle',
    edit(moduleBase, (c) =>
      Object.assign(c.space, { p: { type: 'categorical', values: [1], when: { q: 1 } }, q: { type: 'categorical', values: [1], when: { p: 1 } } }),
    ),
  ],
  ['a grid over a float without steps', edit(moduleBase, (c) => (c.search = { algorithm: 'grid' }))],
  ['cmaes over a categorical', edit(moduleBase, (c) => (c.search = { algorithm: 'cmaes' }))],
  ['a module file that does not exist', edit(moduleBase, (c) => (c.trial.module = '/nowhere/objective.js'))],
  ['a command folder that does not exist', edit(commandBase, (c) => (c.trial.cwd = '/nowhere'))],
  ['a command placeholder naming no parameter', edit(commandBase, (c) => c.trial.command.push('{depth}'))],
  ['a dataset without the target column', edit(tfjsBase, (c) => (c.trial.dataset.target = 'kind'))],
  [
    'a cnn without dataset.shape',
    edit(tfjsBase, (c) => Object.assign(c, { space: { filters: { type: 'int', low: 4, high: 8 } } }, { trial: { ...c.trial, model: 'cnn' } })),
  ],
  ['a forest parameter of an mlp trial', edit(tfjsBase, (c) => (c.space.n_estimators = { type: 'int', low: 10, high: 20 }))],
  ['a model: auto space without family', edit(tfjsBase, (c) => (c.trial.model = 'auto'))],
  [
    'a family that does not exist',
    edit(tfjsBase, (c) => Object.assign(c.trial, { model: 'auto' }) && (c.space.family = { type: 'categorical', values: ['mlp', 'svm'] })),
  ],
  ['an early-stopping metric the task does not report', edit(tfjsBase, (c) => (c.trial.earlyStopping = { metric: 'val_rmse' }))],
  ['a dataset.shape that does not hold the features', edit(tfjsBase, (c) => (c.trial.dataset.shape = [2, 3]))],
  ['a regression on a label column', edit(tfjsBase, (c) => Object.assign(c.trial, { task: 'regression' }) && (c.objective.metric = 'val_rmse'))],
];

describe('the config contract: validation and the JSON Schema of the OpenAPI document agree', () => {
  const validate = compiledSchema();

  it.each(readdirSync(EXPERIMENTS).filter((f) => /\.(ya?ml|json)$/.test(f) && f !== 'iris-rows.json'))('accepts the example %s, as does the schema', (file) => {
    const raw = readConfigFile(join(EXPERIMENTS, file));
    expect(collectExperimentProblems(raw, configBaseDir(join(EXPERIMENTS, file))).collector.problems).toEqual([]);
    expect(validate(raw)).toBe(true);
  });

  it.each([
    ['module', moduleBase],
    ['tfjs', tfjsBase],
    ['tfjs model: auto without a space', autoBase],
    ['command', commandBase],
  ])('accepts the %s base config of the corpus, as does the schema', (_, raw) => {
    expect(collectExperimentProblems(raw, '/').collector.problems).toEqual([]);
    expect(validate(raw)).toBe(true);
  });

  it.each(BAD)('refuses %s; the schema refuses it too unless every problem is one it cannot express', (_, raw) => {
    const { collector } = collectExperimentProblems(raw, '/');
    expect(collector.problems.length).toBeGreaterThan(0);
    const expressible = collector.problems.filter((p) => !collector.isBeyondSchema(p));
    const valid = validate(raw);
    expect({ schemaAccepts: valid, expressibleProblems: expressible }).toEqual({ schemaAccepts: expressible.length === 0, expressibleProblems: expressible });
  });

  it('lists in the schema, in words, every rule it cannot express', () => {
    const text = JSON.stringify(experimentJsonSchema());
    for (const rule of ['low <= high', 'step <= high - low', 'each `when` names other parameters', 'the search algorithm can search this space'])
      expect(text).toContain(rule);
  });
});
