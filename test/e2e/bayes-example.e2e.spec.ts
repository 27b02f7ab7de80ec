import { resolve } from 'node:path';
import { hpo } from '../support/cli-runner';
import { tempDir } from '../support/temp-dir';

const ROOT = resolve(__dirname, '../..');
const BRANIN_MINIMUM = 0.397887;

describe('the bayes example, run as a user runs it', () => {
  const tmp = tempDir('hpo-bayes-');
  afterAll(() => tmp.cleanup());

  it('finds the Branin optimum region within 30 trials at parallelism 2', () => {
    const run = hpo(['run', resolve(ROOT, 'experiments/branin-bayes.yaml'), '--db', 'bayes.db', '--json'], tmp.dir);
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.state).toBe('COMPLETE');
    expect(result.trials).toHaveLength(30);
    const best = Math.min(...result.trials.map((t: { value: number }) => t.value));
    expect(best - BRANIN_MINIMUM).toBeLessThan(0.05);
    // A spread-out batch: no two trials share a parameter set.
    const keys = new Set(result.trials.map((t: { params: object }) => JSON.stringify(t.params)));
    expect(keys.size).toBe(30);
  });
});
