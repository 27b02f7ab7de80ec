import { parseCsv } from '../../../src/models/data/csv-table';
import {
  encodeClassLabels,
  fitPreprocessing,
  parsePreprocessing,
  readRegressionTargets,
  scaleTargets,
  serializePreprocessing,
  unscaleTargets,
} from '../../../src/models/data/preprocessing';
import { encodeFeatures, transformRows } from '../../../src/models/data/row-encoding';

// Rows 0-3 train, row 4 validation: its extreme values must not leak into the fitted state.
const table = parseCsv('x,colour,const,y\n1,red,5,b\n2,blue,5,a\n3,red,5,b\n4,green,5,a\n1000,purple,5,c\n', 't.csv');
const train = [0, 1, 2, 3];

describe('fitPreprocessing', () => {
  const prep = fitPreprocessing(table, train, { task: 'classification', target: 'y' });

  it('fits on the training rows only', () => {
    expect(prep.features[0]).toEqual({ name: 'x', kind: 'numeric', mean: 2.5, std: Math.sqrt(1.25), impute: 'mean', fill: 2.5 });
    expect(prep.features[1]).toEqual({ name: 'colour', kind: 'categorical', categories: ['blue', 'green', 'red'], impute: 'unknown' });
    expect(prep.features[2]).toMatchObject({ mean: 5, std: 1 }); // constant column: std 0 -> 1
    expect(prep.classes).toEqual(['a', 'b']);
    expect(prep.inputSize).toBe(1 + 3 + 1);
  });

  it('encodes features and labels; an unseen category is all zeros', () => {
    const x = encodeFeatures(prep, table, [1, 4]);
    expect(Array.from(x.subarray(0, 5))).toEqual([Math.fround(-0.5 / Math.sqrt(1.25)), 1, 0, 0, 0]);
    expect(Array.from(x.subarray(5))).toEqual([Math.fround(997.5 / Math.sqrt(1.25)), 0, 0, 0, 0]);
    expect(Array.from(encodeClassLabels(prep, table, train))).toEqual([1, 0, 1, 0]);
    expect(() => encodeClassLabels(prep, table, [4])).toThrow("t.csv: line 6: class 'c' not seen in training");
  });

  it('accepts rows as arrays or as objects keyed by feature name, with the same encoding', () => {
    const fromArray = transformRows(prep, [
      [3, 'red', 5],
      ['2', 'blue', '5'],
    ]);
    const fromObject = transformRows(prep, [
      { colour: 'red', x: 3, const: 5 },
      { x: '2', const: 5, colour: 'blue' },
    ]);
    expect(fromObject).toEqual(fromArray);
    expect(Array.from(transformRows(prep, [[null, null, 5]]))).toEqual([0, 0, 0, 0, 0]);
  });

  it('gives clear errors for bad rows', () => {
    expect(() => transformRows(prep, [[1, 'red']])).toThrow('row 0: expected 3 values (x, colour, const), got 2');
    expect(() => transformRows(prep, [{ x: 1, colour: 'red', const: 5, size: 2 }])).toThrow('row 0: unknown feature(s) size');
    // An absent key is a missing value: imputed as an empty CSV cell is (the mean; the unknown bucket).
    expect(transformRows(prep, [{ x: 1 }])).toEqual(transformRows(prep, [[1, null, null]]));
    expect(() =>
      transformRows(prep, [
        [1, 'red', 5],
        ['abc', 'red', 5],
      ]),
    ).toThrow(`row 1, feature 'x': expected a number, got "abc"`);
    expect(() => transformRows(prep, [[true, 'red', 5]])).toThrow(/expected a number, got true/);
  });

  it('round-trips through JSON', () => {
    const back = parsePreprocessing(serializePreprocessing(prep));
    expect(back).toEqual(prep);
    expect(transformRows(back, [[3, 'red', 5]])).toEqual(transformRows(prep, [[3, 'red', 5]]));
  });

  it('rejects a file that is not a preprocessing', () => {
    expect(() => parsePreprocessing('{', 'p.json')).toThrow(/p\.json: not JSON/);
    expect(() => parsePreprocessing('{"format":"x"}', 'p.json')).toThrow(/p\.json: not a preprocessing file/);
    const wrong = { ...prep, inputSize: 9 };
    expect(() => parsePreprocessing(JSON.stringify(wrong))).toThrow(/inputSize 9 does not match the features \(5\)/);
  });
});

describe('regression targets', () => {
  const reg = parseCsv('a,target\n1,10\n2,20\n3,30\n4,1000\n', 'r.csv');
  const prep = fitPreprocessing(reg, [0, 1, 2], { task: 'regression', target: 'target' });

  it('standardise with training statistics and invert exactly', () => {
    expect(prep.targetScaling).toEqual({ mean: 20, std: Math.sqrt(200 / 3) });
    const raw = readRegressionTargets(prep, reg, [0, 3]);
    expect(Array.from(raw)).toEqual([10, 1000]);
    const back = unscaleTargets(prep, scaleTargets(prep, raw));
    expect(back[0]).toBeCloseTo(10, 4);
    expect(back[1]).toBeCloseTo(1000, 3);
  });

  it('reject a categorical target and a single class', () => {
    expect(() => fitPreprocessing(table, train, { task: 'regression', target: 'colour' })).toThrow(/regression target 'colour' is not numeric/);
    expect(() => fitPreprocessing(table, [0, 2], { task: 'classification', target: 'y' })).toThrow(/fewer than 2 classes/);
  });
});
