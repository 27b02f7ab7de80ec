import { ExperimentService } from '../../src/trials/experiment.service';
import { moduleConfig, openService } from '../support/service-fixture';
import { Direction } from '../../src/search/history.types';

/**
 * Early stopping through the real service: trials run in worker threads from `dist/` (build
 * first), their reports go to the main thread, the pruner's answer goes back to `ctx.shouldPrune()`.
 * Grid search with one slot gives a fixed trial order, so every decision below is known in advance
 * (see the curve shapes in `test/fixtures/objectives/curves.js`).
 */

/** The fixture reports `loss` and `score = -loss`: the same pruning decisions either way round. */
const OBJECTIVES: ReadonlyArray<{ metric: string; direction: Direction }> = [
  { metric: 'loss', direction: 'minimize' },
  { metric: 'score', direction: 'maximize' },
];

function curvesConfig(
  objective: { metric: string; direction: Direction },
  curves: string[],
  maxTrials: number,
  pruning: Record<string, unknown>,
): Record<string, unknown> {
  return moduleConfig('curves.js', {
    name: 'pruning-test',
    objective,
    space: { curve: { type: 'categorical', values: curves } },
    search: { algorithm: 'grid', seed: 1 },
    budget: { maxTrials, parallelism: 1, trialTimeoutSec: 20, maxFailedTrials: 1 },
    pruning,
  });
}

async function allTrials(service: ExperimentService, id: number) {
  return (await service.trials(id, { sort: 'number', limit: 1000 })).items;
}

/** [curve, state, lastStep] of every trial, in number order. */
async function outcomes(service: ExperimentService, id: number): Promise<Array<[string, string, number | null]>> {
  return (await allTrials(service, id)).map((t) => [t.params.curve as string, t.state, t.lastStep]);
}

/** The loss the fixture reports at `step`, as the experiment's objective metric. */
function objectiveAt(metric: string, badFrom: number, step: number): number {
  const loss = (step >= badFrom ? 5 : 0) + 1 / step;
  return metric === 'loss' ? loss : -loss;
}

describe('early stopping on real worker threads and a real SQLite file', () => {
  let ctx: Awaited<ReturnType<typeof openService>>;
  beforeEach(async () => (ctx = await openService()));
  afterEach(async () => ctx.close());

  describe.each(OBJECTIVES)('asha, $metric ($direction)', (objective) => {
    it('prunes poor trials at rungs 1, 3 and 9, counts them against maxTrials, and ranks them apart', async () => {
      // good-d is the 8th grid point: the budget of 7 ends the experiment before it.
      const curves = ['good-a', 'good-b', 'good-c', 'bad', 'fades-at-3', 'fades-at-9', 'silent', 'good-d'];
      const pruning = { algorithm: 'asha', settings: { minResource: 1, reductionFactor: 3 } };
      const created = await ctx.service.create(curvesConfig(objective, curves, 7, pruning), '/');
      const final = await ctx.service.waitFor(created.id);
      expect(final).toMatchObject({ state: 'COMPLETE', stopReason: 'maxTrials reached' });

      // With fewer than η = 3 trials at a rung none is judged; ties at a rung continue. `bad` is
      // last of 4 at rung 1; `fades-at-3` ties at rung 1 and is last of 4 at rung 3; `fades-at-9`
      // ties at rungs 1 and 3 and is last of 4 at rung 9. `silent` reports nothing: never judged.
      expect(await outcomes(ctx.service, created.id)).toEqual([
        ['good-a', 'COMPLETE', 20],
        ['good-b', 'COMPLETE', 20],
        ['good-c', 'COMPLETE', 20],
        ['bad', 'PRUNED', 1],
        ['fades-at-3', 'PRUNED', 3],
        ['fades-at-9', 'PRUNED', 9],
        ['silent', 'COMPLETE', null],
      ]);

      const trials = await allTrials(ctx.service, created.id);
      for (const [number, badFrom, rung] of [
        [4, 1, 1],
        [5, 3, 3],
        [6, 9, 9],
      ]) {
        const t = trials[number - 1];
        // A pruned trial keeps its last intermediate value, and its curve stops at the rung.
        expect(t.value).toBeCloseTo(objectiveAt(objective.metric, badFrom, rung), 12);
        const detail = await ctx.service.trial(created.id, number);
        expect(detail.curve[objective.metric].map((p) => p.step)).toEqual(Array.from({ length: rung }, (_, i) => i + 1));
      }

      const board = await ctx.service.leaderboard(created.id, { limit: 10, includePruned: true });
      expect(board.complete.map((r) => r.trial.params.curve)).toEqual(['good-a', 'good-b', 'good-c', 'silent']);
      expect(board.pruned!.map((r) => r.trial.params.curve)).toEqual(['fades-at-9', 'fades-at-3', 'bad']);
      expect(board.pruned!.every((r) => r.trial.state === 'PRUNED')).toBe(true);
      expect((await ctx.service.leaderboard(created.id, { limit: 10 })).pruned).toBeUndefined();
    });
  });

  describe.each(OBJECTIVES)('median, $metric ($direction)', (objective) => {
    it('waits for the warm-up, then prunes trials whose best so far is worse than the median', async () => {
      const curves = ['good-a', 'good-b', 'bad', 'fades-at-9', 'silent'];
      const pruning = { algorithm: 'median', settings: { warmupSteps: 5, minTrials: 2 } };
      const created = await ctx.service.create(curvesConfig(objective, curves, 5, pruning), '/');
      const final = await ctx.service.waitFor(created.id);
      expect(final).toMatchObject({ state: 'COMPLETE', stopReason: 'maxTrials reached' });
      // `bad` is worse than the median from step 1 but is first judged at the warm-up step 5;
      // `fades-at-9` ties with the good trials until its best so far (1/8) loses to 1/9 at step 9.
      expect(await outcomes(ctx.service, created.id)).toEqual([
        ['good-a', 'COMPLETE', 20],
        ['good-b', 'COMPLETE', 20],
        ['bad', 'PRUNED', 5],
        ['fades-at-9', 'PRUNED', 9],
        ['silent', 'COMPLETE', null],
      ]);
      const trials = await allTrials(ctx.service, created.id);
      expect(trials[2].value).toBeCloseTo(objectiveAt(objective.metric, 1, 5), 12);
    });
  });

  it('never prunes trials that report nothing, however poor their final value', async () => {
    // The most eager median pruner, over trials running two at a time: still nothing to judge.
    const created = await ctx.service.create(
      moduleConfig('curves.js', {
        name: 'silent-random',
        space: { curve: { type: 'categorical', values: ['silent'] }, epochs: { type: 'int', low: 1, high: 50 } },
        search: { algorithm: 'random', seed: 5 },
        budget: { maxTrials: 6, parallelism: 2, trialTimeoutSec: 20, maxFailedTrials: 1 },
        pruning: { algorithm: 'median', settings: { warmupSteps: 0, minTrials: 1 } },
      }),
      '/',
    );
    const final = await ctx.service.waitFor(created.id);
    expect(final.stopReason).toBe('maxTrials reached');
    const trials = await allTrials(ctx.service, created.id);
    expect(trials).toHaveLength(6);
    for (const t of trials) expect([t.state, t.lastStep, t.value]).toEqual(['COMPLETE', null, 9]);
  });
});
