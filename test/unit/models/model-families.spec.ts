import { decisionOrder } from '../../../src/search/space/conditions';
import { autoSpace, FAMILY_PARAMETER, knownParameters, MODEL_FAMILIES } from '../../../src/models/families/registry';
import { SAMPLERS } from '../../../src/search/samplers/registry';
import { createRng } from '../../../src/search/rng';
import { readSettings } from '../../../src/search/samplers/settings-reader';

describe('the model families and the model: auto space', () => {
  it('has linear, mlp, cnn and forest, each with defaults for every parameter and an auto range only over its own parameters', () => {
    expect(Object.keys(MODEL_FAMILIES).sort()).toEqual(['cnn', 'forest', 'linear', 'mlp']);
    for (const f of Object.values(MODEL_FAMILIES)) {
      for (const [name, info] of Object.entries(f.hyperparameters)) {
        expect(info.default).toBeDefined();
        expect(name).toMatch(/^[a-z_0-9]+$/);
      }
      for (const name of Object.keys(f.autoSpace)) expect(Object.keys(f.hyperparameters)).toContain(name);
    }
  });

  it('offers the cnn only for data declared image- or sequence-shaped', () => {
    expect((autoSpace({ task: 'classification' })[FAMILY_PARAMETER] as { values: string[] }).values).toEqual(['linear', 'mlp', 'forest']);
    expect((autoSpace({ task: 'classification', inputShape: [8, 8, 1] })[FAMILY_PARAMETER] as { values: string[] }).values).toEqual([
      'linear',
      'mlp',
      'cnn',
      'forest',
    ]);
  });

  it('makes each parameter active under exactly the families that have it; a shared one is one dimension', () => {
    const space = autoSpace({ task: 'regression', inputShape: [8, 8, 1] });
    expect(space.learning_rate.when).toEqual({ family: ['linear', 'mlp', 'cnn'] });
    expect(space.hidden_units.when).toEqual({ family: ['mlp'] });
    expect(space.n_estimators.when).toEqual({ family: ['forest'] });
    expect(() => decisionOrder(space)).not.toThrow();
    expect(knownParameters('auto')).toEqual(expect.arrayContaining(['family', 'filters', 'max_depth', 'l2']));
    expect(knownParameters('linear').sort()).toEqual(['batch_size', 'epochs', 'l2', 'learning_rate', 'momentum', 'optimizer']);
  });

  it.each(Object.keys(SAMPLERS).filter((s) => !['grid', 'cmaes'].includes(s)))(
    '%s suggests parameters of the chosen family only, each one the family can resolve',
    (name) => {
      const space = autoSpace({ task: 'classification', inputShape: [8, 8, 1] });
      const sampler = SAMPLERS[name];
      const settings = readSettings(sampler.settingRules, {}, 'search.settings').settings;
      const suggestions = sampler.suggest({
        space,
        history: [],
        pending: [],
        count: 8,
        rng: createRng(1, 1),
        seed: 1,
        settings,
        direction: 'maximize',
        maxTrials: 20,
      });
      expect(suggestions).toHaveLength(8);
      for (const params of suggestions) {
        const family = MODEL_FAMILIES[params.family as string];
        const own = Object.keys(params).filter((k) => k !== 'family');
        for (const k of own) expect(Object.keys(family.autoSpace)).toContain(k);
      }
    },
  );
});
