import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { configReference, typeSummary } from '../../../src/config/config-reference';
import { CONFIG_DEFAULTS } from '../../../src/config/defaults';
import { experimentJsonSchema } from '../../../src/trials/experiment-validation';

describe('the config reference, made from the schema', () => {
  it('is what docs/CONFIG.md holds (regenerate with `npx hpo schema --markdown > docs/CONFIG.md`)', () => {
    expect(readFileSync(resolve(__dirname, '../../../docs/CONFIG.md'), 'utf8')).toBe(configReference(experimentJsonSchema()));
  });

  it('shows the named defaults the code applies', () => {
    const doc = configReference(experimentJsonSchema());
    expect(doc).toContain(`| budget.maxTrials | integer ≥ 1, ≤ 10000000 | \`${CONFIG_DEFAULTS.maxTrials}\` |`);
    expect(doc).toContain(`| search.algorithm | one of`);
    expect(doc).toContain('| trial.epochs | integer ≥ 1, ≤ 100000 | `20` |');
  });

  it('says what a schema accepts in a few words', () => {
    expect(typeSummary({ type: 'integer', minimum: 1, maximum: 64 })).toBe('integer ≥ 1, ≤ 64');
    expect(typeSummary({ enum: ['a', 'b'] })).toBe('one of `a`, `b`');
    expect(typeSummary({ type: 'array', items: { type: 'string' }, minItems: 1 })).toBe('list of string, at least 1');
  });
});
