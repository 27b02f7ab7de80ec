import { Direction, StepValue } from '../../../../src/search/history.types';
import { median, medianPruner, MedianSettings } from '../../../../src/search/pruners/median.pruner';
import { PeerTrial } from '../../../../src/search/pruners/pruner.types';
import { PRUNERS } from '../../../../src/search/pruners/registry';

const curve = (values: number[], first = 1): StepValue[] => values.map((value, i) => ({ step: first + i, value }));
const peer = (id: number, values: number[], state: PeerTrial['state'] = 'COMPLETE'): PeerTrial => ({ id, state, intermediate: curve(values) });

const defaults = medianPruner.validateSettings({}).settings;
const decide = (values: number[], peers: PeerTrial[], direction: Direction = 'minimize', settings: MedianSettings = defaults) =>
  medianPruner.shouldPrune({ direction, trial: { id: 0, intermediate: curve(values) }, peers, settings });

describe('median pruner', () => {
  it('is registered, fills defaults and validates', () => {
    expect(PRUNERS.median).toBe(medianPruner);
    expect(defaults).toEqual({ warmupSteps: 0, minTrials: 5 });
    const { problems } = medianPruner.validateSettings({ warmupSteps: -1, minTrials: 0, percentile: 50 });
    expect(problems.map((p) => p.path).sort()).toEqual(['pruning.settings.minTrials', 'pruning.settings.percentile', 'pruning.settings.warmupSteps']);
    expect(medianPruner.validateSettings({ minTrials: 2.5 }).problems).toHaveLength(1);
  });

  it('computes medians of odd and even lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  describe.each(['minimize', 'maximize'] as Direction[])('%s', (direction) => {
    const s = direction === 'minimize' ? 1 : -1;
    // Five peers whose step-2 best values are 1..5 (median 3).
    const peers = [1, 2, 3, 4, 5].map((v, i) => peer(i + 1, [s * 10, s * v, s * 10]));

    it('stops a trial worse than the median at its step, keeps ties and better ones', () => {
      expect(decide([s * 10, s * 3.5], peers, direction)).toBe(true);
      expect(decide([s * 10, s * 3], peers, direction)).toBe(false);
      expect(decide([s * 10, s * 2], peers, direction)).toBe(false);
    });

    it("uses the trial's best so far and the peers' best up to the step", () => {
      // Worse now, but its best so far (step 1) beats the median.
      expect(decide([s * 1, s * 9], peers, direction)).toBe(false);
      // At step 3 the peers' best up to step 3 are still 1..5, not their step-3 value of 10.
      expect(decide([s * 10, s * 10, s * 3.5], peers, direction)).toBe(true);
      expect(decide([s * 10, s * 10, s * 2.5], peers, direction)).toBe(false);
    });

    it('waits for minTrials peers at the step', () => {
      expect(decide([s * 10, s * 9], peers.slice(0, 4), direction)).toBe(false);
      expect(decide([s * 10, s * 9], peers.slice(0, 4), direction, { warmupSteps: 0, minTrials: 4 })).toBe(true);
      // Peers that have not reached step 2 do not count towards minTrials.
      const short = [...peers.slice(0, 4), peer(9, [s * 100])];
      expect(decide([s * 10, s * 9], short, direction)).toBe(false);
    });

    it('waits for warmupSteps', () => {
      expect(decide([s * 10, s * 9], peers, direction, { warmupSteps: 3, minTrials: 5 })).toBe(false);
      expect(decide([s * 10, s * 9, s * 9], peers, direction, { warmupSteps: 3, minTrials: 5 })).toBe(true);
    });
  });

  it('never prunes a trial that reported nothing', () => {
    expect(
      decide(
        [],
        [1, 2, 3, 4, 5].map((v) => peer(v, [v])),
      ),
    ).toBe(false);
  });
});
