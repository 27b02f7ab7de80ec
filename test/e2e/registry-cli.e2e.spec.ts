import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { hpo } from '../support/cli-runner';
import { tempDir } from '../support/temp-dir';

const IRIS = resolve(__dirname, '../../experiments/data/iris.csv');

describe('the hpo CLI for the model registry', () => {
  const tmp = tempDir('hpo-cli-registry-');
  afterAll(() => tmp.cleanup());
  const run = (...args: string[]) => hpo([...args, '--db', 'r.db'], tmp.dir);
  const json = (...args: string[]) => {
    const out = run(...args, '--json');
    expect(out.stderr).not.toMatch(/hpo: (?!experiment)/);
    expect(out.status).toBe(0);
    return JSON.parse(out.stdout);
  };

  it('promotes on run, lists, promotes again quantized, moves an alias, predicts and refuses bad input', () => {
    writeFileSync(
      join(tmp.dir, 'iris.yaml'),
      `
name: cli-iris
objective: {metric: val_accuracy, direction: maximize}
space: {learning_rate: {type: categorical, values: [0.05]}}
search: {algorithm: random, seed: 3}
budget: {maxTrials: 1, parallelism: 1}
trial: {kind: tfjs, task: classification, dataset: {path: ${IRIS}, target: species, validation: {fraction: 0.2, seed: 1}}, epochs: 20}
registry: {model: iris, alias: production}
`,
    );
    const ran = run('run', 'iris.yaml', '--json');
    expect(ran.status).toBe(0);
    expect(JSON.parse(ran.stdout).promotion).toMatchObject({
      model: 'iris',
      result: { version: { version: 1, trialNumber: 1 }, alias: { name: 'production', moved: true, version: 1 } },
    });
    expect(json('models', 'list')).toEqual([expect.objectContaining({ name: 'iris', versionCount: 1, aliases: { production: 1 } })]);

    const promoted = json('promote', 'cli-iris', '--model', 'iris', '--alias', 'production', '--quantize', 'float16');
    expect(promoted.version).toMatchObject({ version: 2, quantization: { dtype: 'float16', sizeRatio: 0.5 } });
    expect(promoted.alias).toMatchObject({ name: 'production', moved: false, version: 1 });
    expect(json('models', 'alias', 'iris', 'production', '2')).toMatchObject({ alias: 'production', version: 2, previousVersion: 1 });
    expect(json('models', 'show', 'iris').aliases).toEqual([expect.objectContaining({ alias: 'production', version: 2 })]);

    writeFileSync(
      join(tmp.dir, 'rows.json'),
      JSON.stringify([[5.1, 3.5, 1.4, 0.2], { sepal_length_cm: 6.7, sepal_width_cm: 3, petal_length_cm: 5.2, petal_width_cm: 2.3 }]),
    );
    const predicted = json('predict', 'iris', '--input', 'rows.json');
    expect(predicted).toMatchObject({ model: 'iris', version: 2 });
    expect(predicted.predictions.map((p: { label: string }) => p.label)).toEqual(['setosa', 'virginica']);
    expect(json('predict', 'iris', '--input', 'rows.json', '--version', '1').version).toBe(1);

    const held = run('models', 'delete', 'iris', '2');
    expect(held.status).toBe(2);
    expect(held.stderr).toMatch(/held by an alias/);
    writeFileSync(join(tmp.dir, 'bad.json'), JSON.stringify([[5.1, 'x', 1.4, 0.2]]));
    const bad = run('predict', 'iris', '--input', 'bad.json');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('instances[0].sepal_width_cm: expected a number, got "x"');
    const badName = run('promote', 'cli-iris', '--model', 'bad name', '--alias', 'prod!');
    expect([badName.status, badName.stderr]).toEqual([2, expect.stringContaining('model: must be letters, digits, - and _')]);
    expect(badName.stderr).toContain('alias: must be letters, digits, - and _');
    expect(run('models', 'alias', 'iris', 'bad alias!', '1').stderr).toContain('alias: must be letters, digits, - and _');
    // What the verbs changed is in the audit log, as the CLI's user, from the CLI.
    const audit = json('audit') as { actor: string; action: string; target: string; origin: string }[];
    expect(audit).toContainEqual(expect.objectContaining({ action: 'alias-move', target: 'model iris/production', origin: 'cli' }));
    expect(audit).toContainEqual(expect.objectContaining({ action: 'promote', target: 'model iris' }));
    expect(audit.every((e) => e.actor.startsWith('local'))).toBe(true);
  });

  it('says after a run what the registry section did: a new version, and the alias only if it is beaten', () => {
    writeFileSync(
      join(tmp.dir, 'again.yaml'),
      `
name: cli-iris-again
objective: {metric: val_accuracy, direction: maximize}
space: {learning_rate: {type: categorical, values: [0.05]}}
search: {algorithm: random, seed: 3}
budget: {maxTrials: 1, parallelism: 1}
trial: {kind: tfjs, task: classification, dataset: {path: ${IRIS}, target: species, validation: {fraction: 0.2, seed: 1}}, epochs: 20}
registry: {model: iris-again, alias: production}
`,
    );
    const first = run('run', 'again.yaml');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(
      /^registered iris-again version 1: experiment \d+ trial 1, val_accuracy=[\d.]+\n {2}alias production: moved to 1 \(the alias was new\)$/m,
    );
    // The same seed trains the same model: a tie does not move the alias.
    const second = run('run', 'again.yaml');
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(
      /^registered iris-again version 2: .*\n {2}alias production: stays on 1 \(val_accuracy [\d.]+ does not beat version 1's [\d.]+\)$/m,
    );
  });

  it('does not register the same trial twice when a resumed experiment keeps its best', () => {
    writeFileSync(
      join(tmp.dir, 'grow.yaml'),
      `
name: cli-iris-grow
objective: {metric: val_accuracy, direction: maximize}
space: {learning_rate: {type: categorical, values: [0.05, 0.00001]}}
search: {algorithm: grid}
budget: {maxTrials: 1, parallelism: 1}
trial: {kind: tfjs, task: classification, dataset: {path: ${IRIS}, target: species, validation: {fraction: 0.2, seed: 1}}, epochs: 20}
registry: {model: iris-grow, alias: production}
`,
    );
    expect(run('run', 'grow.yaml').stdout).toMatch(/^registered iris-grow version 1: experiment (\d+) trial 1,/m);
    // The second grid point learns almost nothing in 20 epochs: trial 1 stays the best.
    const resumed = run('resume', 'cli-iris-grow', '--max-trials', '2');
    expect(resumed.status).toBe(0);
    expect(resumed.stdout).toMatch(
      /^registered iris-grow version 1: experiment \d+ trial 1, val_accuracy=[\d.]+ \(already registered: the best trial has not changed\)$/m,
    );
    expect(json('models', 'show', 'iris-grow').versions).toHaveLength(1);
  });
});
