import { Direction, StepValue } from '../../../../src/search/history.types';
import { ashaPruner, AshaSettings, promotable, rungStep } from '../../../../src/search/pruners/asha.pruner';
import { PeerTrial } from '../../../../src/search/pruners/pruner.types';
import { PRUNERS } from '../../../../src/search/pruners/registry';

/** A curve with one value per listed step. */
const curve = (points: Array<[number, number]>): StepValue[] => points.map(([step, value]) => ({ step, value }));
/** A flat curve: the same value at every step 1..last. */
const flat = (value: number, last: number): StepValue[] => curve(Array.from({ length: last }, (_, i) => [i + 1, value]));
const peer = (id: number, intermediate: StepValue[], state: PeerTrial['state'] = 'COMPLETE'): PeerTrial => ({ id, state, intermediate });

const defaults = ashaPruner.validateSettings({}).settings;
const decide = (intermediate: StepValue[], peers: PeerTrial[], direction: Direction = 'minimize', settings: AshaSettings = defaults) =>
  ashaPruner.shouldPrune({ direction, trial: { id: 0, intermediate }, peers, settings });

describe('asha pruner', () => {
  it('is registered and fills defaults', () => {
    expect(PRUNERS.asha).toBe(ashaPruner);
    expect(defaults).toEqual({ minResource: 1, reductionFactor: 3, minEarlyStoppingRate: 0 });
  });

  it('rejects unknown settings and out-of-range values by path', () => {
    const { problems } = ashaPruner.validateSettings({ reductionFactor: 1, minResource: 0, minEarlyStoppingRate: -1, eta: 3 });
    expect(problems.map((p) => p.path).sort()).toEqual(
      ['pruning.settings.eta', 'pruning.settings.minEarlyStoppingRate', 'pruning.settings.minResource', 'pruning.settings.reductionFactor'].sort(),
    );
    expect(ashaPruner.validateSettings({ reductionFactor: 2.5 }).problems).toHaveLength(1);
  });

  it('places rungs at minResource · η^(k + s)', () => {
    expect([0, 1, 2].map((k) => rungStep(defaults, k))).toEqual([1, 3, 9]);
    expect(rungStep({ minResource: 2, reductionFactor: 4, minEarlyStoppingRate: 1 }, 0)).toBe(8);
  });

  it('never prunes a trial that reported nothing', () => {
    expect(decide([], [peer(1, flat(0, 9))])).toBe(false);
  });

  it('continues a trial alone at a rung, or with too few peers for a top fraction', () => {
    expect(decide(flat(100, 1), [])).toBe(false);
    // 3 trials at the rung with η = 3: the top third is one trial, and 100 is not it.
    expect(decide(flat(100, 1), [peer(1, flat(1, 1)), peer(2, flat(2, 1))])).toBe(true);
    // Only 2 at the rung: no top third exists yet, so even the worse one continues.
    expect(decide(flat(100, 1), [peer(1, flat(1, 1))])).toBe(false);
  });

  describe.each(['minimize', 'maximize'] as Direction[])('rung promotion at 1, 3, 9 with η = 3 (%s)', (direction) => {
    // Nine peers with values 1..9 everywhere; under maximize the values are negated so "better" is the same peers.
    const sign = direction === 'minimize' ? 1 : -1;
    const peers = Array.from({ length: 9 }, (_, i) => peer(i + 1, flat(sign * (i + 1), 9)));
    const at = (value: number, last: number) => decide(flat(sign * value, last), peers, direction);

    it('rung 1: ten trials, the top three continue (ties continue)', () => {
      expect(at(0.5, 1)).toBe(false);
      expect(at(3, 1)).toBe(false); // ties the third best
      expect(at(3.5, 1)).toBe(true);
      expect(at(9.5, 1)).toBe(true);
    });

    it('steps between rungs are never judged', () => {
      expect(at(9.5, 2)).toBe(false);
      expect(at(9.5, 4)).toBe(false);
      expect(at(9.5, 8)).toBe(false);
    });

    it('rung 3 and rung 9 judge against the peers that reached them', () => {
      expect(at(3.5, 3)).toBe(true);
      expect(at(2.5, 3)).toBe(false);
      expect(at(3.5, 9)).toBe(true);
      expect(at(1.5, 9)).toBe(false);
      // Only the three best peers reached rung 9 (the others were stopped at rung 3): the top third of four is one.
      const survivors = peers.map((p, i) => (i < 3 ? p : peer(p.id, p.intermediate.slice(0, 3), 'PRUNED')));
      expect(decide(flat(sign * 1.5, 9), survivors, direction)).toBe(true);
      expect(decide(flat(sign * 0.5, 9), survivors, direction)).toBe(false);
      expect(decide(flat(sign * 9, 3), survivors, direction)).toBe(true);
    });
  });

  it('uses the value at the rung step, and judges a rung passed between sparse reports', () => {
    const peers = [peer(1, flat(1, 9)), peer(2, flat(2, 9)), peer(3, flat(3, 9))];
    // Bad at step 1 but good later: judged at rung 1 by its step-1 value when step 1 is its last report.
    expect(decide(curve([[1, 9]]), peers)).toBe(true);
    // Reports only at steps 2 and 5: step 5 is the first report past rung 3, so rung 3 is judged by the step-5 value.
    expect(
      decide(
        curve([
          [2, 9],
          [5, 0.5],
        ]),
        peers,
      ),
    ).toBe(false);
    expect(
      decide(
        curve([
          [2, 0.5],
          [5, 9],
        ]),
        peers,
      ),
    ).toBe(true);
    // Peers reporting sparsely are compared at their first report at or past the rung.
    const sparse = [peer(1, curve([[2, 1]])), peer(2, curve([[4, 2]])), peer(3, curve([[5, 3]]))];
    expect(decide(curve([[3, 9]]), sparse)).toBe(true);
    expect(decide(curve([[3, 0.5]]), sparse)).toBe(false);
  });

  it('respects minEarlyStoppingRate and minResource', () => {
    const settings = { minResource: 2, reductionFactor: 3, minEarlyStoppingRate: 1 };
    const peers = [peer(1, flat(1, 18)), peer(2, flat(2, 18)), peer(3, flat(3, 18))];
    expect(decide(flat(9, 2), peers, 'minimize', settings)).toBe(false); // step 2 is not a rung when s = 1
    expect(decide(flat(9, 6), peers, 'minimize', settings)).toBe(true); // first rung at 2·3 = 6
    expect(decide(flat(9, 18), peers, 'minimize', settings)).toBe(true);
  });

  it('stops a NaN value at a rung and ignores NaN peers', () => {
    expect(decide(flat(Number.NaN, 1), [])).toBe(true);
    expect(
      promotable(
        5,
        [Number.NaN].filter((v) => !Number.isNaN(v)),
        3,
        'minimize',
      ),
    ).toBe(true);
  });
});
