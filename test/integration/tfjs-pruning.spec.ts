import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { openService } from '../support/service-fixture';

const IRIS = path.resolve(__dirname, '../../experiments/data/iris.csv');
const EPOCHS = 8;

/**
 * ASHA on a real TensorFlow.js trial, through the service and worker threads (`dist/`, build
 * first). Grid order with one slot: two well-tuned learning rates run first and set rung 1; the
 * two tiny ones then sit far behind them after one epoch (val_loss barely moves at lr ≤ 1e-4).
 */
describe('asha on tfjs trials (iris)', () => {
  let ctx: Awaited<ReturnType<typeof openService>>;
  beforeEach(async () => (ctx = await openService()));
  afterEach(async () => ctx.close());

  it('stops poor trials after the epoch of a rung and records their metrics and model', async () => {
    const created = await ctx.service.create(
      {
        name: 'iris-asha',
        objective: { metric: 'val_loss', direction: 'minimize' },
        space: { learning_rate: { type: 'categorical', values: [0.03, 0.01, 0.0001, 0.00003] } },
        search: { algorithm: 'grid', seed: 2 },
        budget: { maxTrials: 4, parallelism: 1, trialTimeoutSec: 60, maxFailedTrials: 1 },
        pruning: { algorithm: 'asha', settings: { minResource: 1, reductionFactor: 3 } },
        trial: { kind: 'tfjs', task: 'classification', dataset: { path: IRIS, target: 'species' }, epochs: EPOCHS, batchSize: 16 },
      },
      '/',
    );
    const final = await ctx.service.waitFor(created.id);
    expect(final).toMatchObject({ state: 'COMPLETE', stopReason: 'maxTrials reached' });

    const trials = (await ctx.service.trials(created.id, { sort: 'number', limit: 10 })).items;
    expect(trials.slice(0, 2).map((t) => [t.state, t.lastStep])).toEqual([
      ['COMPLETE', EPOCHS],
      ['COMPLETE', EPOCHS],
    ]);
    const pruned = trials.filter((t) => t.state === 'PRUNED');
    expect(pruned.map((t) => t.params.learning_rate)).toEqual([0.0001, 0.00003]);

    for (const t of pruned) {
      expect(t.lastStep).toBeLessThan(EPOCHS);
      const detail = await ctx.service.trial(created.id, t.number);
      const curve = detail.curve.val_loss;
      expect(curve.map((p) => p.step)).toEqual(Array.from({ length: t.lastStep! }, (_, i) => i + 1));
      // The final metrics are those of the last epoch trained, and the value is its val_loss.
      expect(t.value).toBe(curve[curve.length - 1].value);
      expect(t.metrics).toMatchObject({ val_loss: t.value });
      expect(Object.keys(t.metrics!).sort()).toEqual(['model_bytes', 'predict_ms', 'val_accuracy', 'val_auc', 'val_f1', 'val_loss']);
      const record = await ctx.store.queries.byNumber(created.id, t.number);
      expect(record!.artifactDir).not.toBeNull();
      for (const f of ['model.json', 'weights.bin', 'preprocessing.json']) expect(existsSync(path.join(record!.artifactDir!, f))).toBe(true);
    }

    const board = await ctx.service.leaderboard(created.id, { limit: 10, includePruned: true });
    expect(board.complete).toHaveLength(2);
    expect(board.pruned!.map((r) => r.trial.number).sort()).toEqual(pruned.map((t) => t.number));
  });
});
