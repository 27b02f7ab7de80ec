import { ProgressBar } from '../../../src/cli/progress-bar';
import { CliIO } from '../../../src/cli/cli-output';
import { TrialRecord } from '../../../src/trials/trial.types';

function finished(number: number, state: TrialRecord['state'], value: number | null): TrialRecord {
  return {
    id: number,
    experimentId: 1,
    number,
    state,
    params: {},
    metrics: null,
    value,
    error: null,
    interrupted: false,
    repeatOf: null,
    repeatOfNumber: null,
    repeatReason: null,
    retried: false,
    enqueued: false,
    retryNumber: 0,
    failure: null,
    attempt: 1,
    worker: null,
    leaseUntil: null,
    runner: null,
    backend: null,
    lastStep: null,
    artifactDir: null,
    createdAt: 0,
    startedAt: 0,
    finishedAt: 0,
  };
}

function bar(direction: 'minimize' | 'maximize') {
  const lines: string[] = [];
  const io: CliIO = { out: () => undefined, err: (t) => void lines.push(t), interactive: false };
  return { progress: new ProgressBar(io, 4, 'val_accuracy', direction), lines };
}

describe('the progress bar', () => {
  it('counts failed and pruned trials and names the best complete one', () => {
    const { progress } = bar('maximize');
    progress.update(finished(1, 'COMPLETE', 0.9));
    progress.update(finished(2, 'FAILED', null));
    progress.update(finished(3, 'PRUNED', 0.99));
    expect(progress.line()).toMatch(/^\[#{18}-{6}\] 3\/4 trials \(1 failed, 1 pruned\) {2}best val_accuracy=0\.9 \(trial 1\)/);
  });

  it('gives a tie to the lower trial number, as the leaderboard does, whatever order they finish in', () => {
    const { progress } = bar('maximize');
    progress.update(finished(11, 'COMPLETE', 0.97778));
    progress.update(finished(10, 'COMPLETE', 0.97778));
    progress.update(finished(12, 'COMPLETE', 0.97778));
    expect(progress.line()).toContain('best val_accuracy=0.97778 (trial 10)');
  });

  it('follows the direction', () => {
    const { progress } = bar('minimize');
    progress.update(finished(1, 'COMPLETE', 0.5));
    progress.update(finished(2, 'COMPLETE', 0.2));
    progress.update(finished(3, 'COMPLETE', 0.7));
    expect(progress.line()).toContain('best val_accuracy=0.2 (trial 2)');
  });
});
