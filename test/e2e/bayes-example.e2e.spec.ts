import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { hpo } from '../support/cli-runner';
import { tempDir } from '../support/temp-dir';

const ROOT = resolve(__dirname, '../..');
const EXAMPLE = resolve(ROOT, 'experiments/branin-bayes.yaml');
const BRANIN_MINIMUM = 0.397887;

interface RunResult {
  state: string;
  trials: { number: number; value: number; params: Record<string, number> }[];
}

function runExample(configFile: string, db: string, cwd: string): RunResult {
  const run = hpo(['run', configFile, '--db', db, '--json'], cwd);
  expect(run.stderr).not.toMatch(/Error/);
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout) as RunResult;
}

/** The example with one trial at a time, written next to the test's databases. */
function sequentialCopy(dir: string): string {
  const spec = parse(readFileSync(EXAMPLE, 'utf8'));
  spec.budget.parallelism = 1;
  spec.trial.module = resolve(ROOT, 'experiments', spec.trial.module);
  const file = join(dir, 'branin-bayes-sequential.yaml');
  writeFileSync(file, stringify(spec));
  return file;
}

describe('the bayes example, run as a user runs it', () => {
  const tmp = tempDir('hpo-bayes-');
  afterAll(() => tmp.cleanup());

  // Two trials at a time, the next suggestion sees whichever finished first, so the path (not the
  // quality) depends on timing. The bound is one every simulated finishing order meets with room
  // (worst of 160 orders: 0.21) and random search misses about two times in three.
  it('as shipped (parallelism 2): 30 distinct trials, the best inside the optimum region', () => {
    const result = runExample(EXAMPLE, 'bayes.db', tmp.dir);
    expect(result.state).toBe('COMPLETE');
    expect(result.trials).toHaveLength(30);
    const best = Math.min(...result.trials.map((t) => t.value));
    expect(best - BRANIN_MINIMUM).toBeLessThan(0.5);
    // Pending trials are fantasised, so a pair in flight never repeats a point.
    expect(new Set(result.trials.map((t) => JSON.stringify(t.params))).size).toBe(30);
  });

  // One trial at a time the run is a pure function of the seed: replayable, and its quality exact.
  it('one trial at a time: the same seed replays the same trials, within 0.05 of the optimum', () => {
    const config = sequentialCopy(tmp.dir);
    const first = runExample(config, 'sequential-1.db', tmp.dir);
    const second = runExample(config, 'sequential-2.db', tmp.dir);
    expect(first.trials).toHaveLength(30);
    const byNumber = (r: RunResult) => [...r.trials].sort((a, b) => a.number - b.number).map((t) => t.params);
    expect(byNumber(second)).toEqual(byNumber(first));
    const best = Math.min(...first.trials.map((t) => t.value));
    expect(best - BRANIN_MINIMUM).toBeLessThan(0.05);
  });
});
