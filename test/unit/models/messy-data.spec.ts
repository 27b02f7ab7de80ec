import { parseCsv } from '../../../src/models/data/csv-table';
import { chooseColumns, ColumnChoiceError } from '../../../src/models/data/column-selection';
import { encodeTraining, fitOn, splitRows } from '../../../src/models/data/dataset-splits';
import { holdoutSplit } from '../../../src/models/data/holdout-split';
import { OTHER_CATEGORY, parsePreprocessing, serializePreprocessing } from '../../../src/models/data/preprocessing';
import { encodeFeatures, encodeRows, InputNote } from '../../../src/models/data/row-encoding';

// 40 rows: an ID, a row number, free text, a numeric feature with blanks, a colour with a rare tail, a 3:1 target.
const lines = ['customer_id,n,comment,age,colour,city,y'];
for (let i = 0; i < 40; i++) {
  const age = i % 10 === 3 ? '' : String(20 + (i % 7));
  const colour = i % 13 === 5 ? '' : ['red', 'red', 'blue', 'green'][i % 4];
  const city = i < 30 ? ['paris', 'rome', 'oslo'][i % 3] : `town${i}`;
  lines.push(`${1000 + i * 7},${i},note number ${i},${age},${colour},${city},${i % 4 === 0 ? 'yes' : 'no'}`);
}
const table = parseCsv(lines.join('\n'), 'messy.csv');
const spec = { task: 'classification' as const, dataset: { path: 'messy.csv', target: 'y', validation: { fraction: 0.25, seed: 3 } } };

describe('column choice', () => {
  it('drops ID-like columns with the reason: a unique *_id, a row number, free text', () => {
    const choice = chooseColumns(table, { target: 'y' });
    expect(choice.columns.map((j) => table.header[j])).toEqual(['age', 'colour', 'city']);
    expect(choice.dropped.map((d) => d.name)).toEqual(['customer_id', 'n', 'comment']);
    expect(choice.dropped[0].reason).toMatch(/named like an identifier/);
    expect(choice.dropped[1].reason).toMatch(/row number/);
    expect(choice.dropped[2].reason).toMatch(/40 distinct values in 40 rows/);
  });

  it('refuses them under idColumns: refuse, keeps them under keep, and never drops a column listed in features', () => {
    expect(() => chooseColumns(table, { target: 'y', idColumns: 'refuse' })).toThrow(/ID-like column\(s\) "customer_id"/);
    expect(chooseColumns(table, { target: 'y', idColumns: 'keep' }).columns).toHaveLength(6);
    expect(chooseColumns(table, { target: 'y', features: ['n', 'age'] }).columns).toEqual([1, 3]);
    expect(chooseColumns(table, { target: 'y', exclude: ['city', 'comment'] }).columns.map((j) => table.header[j])).toEqual(['age', 'colour']);
  });

  it('names the field at fault for a column that is not there or is the target', () => {
    const fieldOf = (fn: () => unknown): string | undefined => {
      try {
        fn();
      } catch (e) {
        return e instanceof ColumnChoiceError ? `${e.field}: ${e.message}` : undefined;
      }
      return undefined;
    };
    expect(fieldOf(() => chooseColumns(table, { target: 'y', exclude: ['nope'] }))).toMatch(/^exclude: no column "nope"/);
    expect(fieldOf(() => chooseColumns(table, { target: 'y', features: ['y'] }))).toMatch(/^features: "y" is the target/);
  });
});

describe('preprocessing of messy data', () => {
  const rows = splitRows(table, spec);
  const prep = fitOn(table, { ...spec, dataset: { ...spec.dataset, impute: { numeric: 'median', categorical: 'mode' }, maxCategories: 3 } }, rows.train);

  it('records the dropped columns, the imputation and its fill values, and caps categories with an "other" bucket', () => {
    expect(prep.dropped?.map((d) => d.name)).toEqual(['customer_id', 'n', 'comment']);
    const [age, colour, city] = prep.features;
    const ages = rows.train
      .map((r) => table.rows[r][3])
      .filter((v): v is number => v !== null)
      .sort((a, b) => a - b);
    const mid = ages.length >> 1;
    expect(age).toMatchObject({ impute: 'median', fill: ages.length % 2 ? ages[mid] : (ages[mid - 1] + ages[mid]) / 2 });
    expect(colour).toMatchObject({ impute: 'mode', fill: 'red' });
    expect(city.kind === 'categorical' && city.categories[city.categories.length - 1]).toBe(OTHER_CATEGORY);
    expect(city.kind === 'categorical' && city.categories).toHaveLength(3);
    expect(prep.inputSize).toBe(1 + 3 + 3);
  });

  it('encodes a blank cell at training exactly as null, "" or an absent key at serving, and reports each', () => {
    const r = rows.train.find((i) => table.rows[i][3] === null)!;
    const atTraining = encodeFeatures(prep, table, [r]);
    const row = { colour: table.rows[r][4], city: table.rows[r][5] } as Record<string, string | null>;
    const notes: InputNote[] = [];
    for (const served of [{ ...row, age: null }, { ...row, age: '' }, row]) expect(encodeRows(prep, [served], notes)).toEqual(atTraining);
    expect(notes.filter((n) => n.feature === 'age')).toEqual(
      [0, 1, 2].map(() => ({ row: 0, feature: 'age', kind: 'imputed', value: (prep.features[0] as { fill: number }).fill })),
    );
  });

  it('maps a rare training category to "other" and an unseen one to the unknown bucket (all zeros), reporting the unseen', () => {
    const notes: InputNote[] = [];
    const x = encodeRows(prep, [{ age: 22, colour: 'purple', city: 'town35' }], notes);
    expect(Array.from(x.subarray(1, 4))).toEqual([0, 0, 0]);
    expect(Array.from(x.subarray(4))).toEqual([0, 0, 1]);
    expect(notes).toEqual([{ row: 0, feature: 'colour', kind: 'unknown', value: 'purple' }]);
  });

  it('weighs classes by n / (k · n_class) with classWeights: balanced', () => {
    const weighted = fitOn(table, { ...spec, dataset: { ...spec.dataset, classWeights: 'balanced' } }, rows.train);
    const yes = rows.train.filter((r) => table.rows[r][6] === 'yes').length;
    const n = rows.train.length;
    expect(weighted.classes).toEqual(['no', 'yes']);
    expect(weighted.classWeights).toEqual([n / (2 * (n - yes)), n / (2 * yes)]);
    const y = encodeTraining(weighted, table, rows.train).y;
    rows.train.forEach((r, i) => {
      const c = table.rows[r][6] === 'yes' ? 1 : 0;
      expect(y[i * 2 + c]).toBeCloseTo(weighted.classWeights![c], 6);
      expect(y[i * 2 + 1 - c]).toBe(0);
    });
  });

  it('reads back what it wrote, and still reads a file written before these fields existed (the mean, the unknown bucket)', () => {
    expect(parsePreprocessing(serializePreprocessing(prep))).toEqual(prep);
    const old = parsePreprocessing(
      JSON.stringify({
        format: 'hpo-preprocessing',
        version: 1,
        task: 'classification',
        target: 'y',
        features: [
          { name: 'age', kind: 'numeric', mean: 30, std: 2 },
          { name: 'colour', kind: 'categorical', categories: ['blue', 'red'] },
        ],
        inputSize: 3,
        classes: ['no', 'yes'],
      }),
    );
    const notes: InputNote[] = [];
    expect(Array.from(encodeRows(old, [{ age: null, colour: 'green' }], notes))).toEqual([0, 0, 0]);
    expect(notes).toEqual([
      { row: 0, feature: 'age', kind: 'imputed', value: 30 },
      { row: 0, feature: 'colour', kind: 'unknown', value: 'green' },
    ]);
  });
});

describe('test rows', () => {
  it('are held out of training and validation, the same every time, stratified; without them the split is as before', () => {
    const withTest = { ...spec, dataset: { ...spec.dataset, test: { fraction: 0.25, seed: 9 } } };
    const a = splitRows(table, withTest);
    expect(a.test).toHaveLength(10);
    // 10 of the 40 rows are "yes": a stratified quarter holds two or three of them.
    expect(a.test.filter((r) => table.rows[r][6] === 'yes').length).toBeGreaterThanOrEqual(2);
    expect(a.test.filter((r) => table.rows[r][6] === 'yes').length).toBeLessThanOrEqual(3);
    const seen = new Set([...a.train, ...a.validation]);
    expect(a.test.some((r) => seen.has(r))).toBe(false);
    expect(a.train.length + a.validation.length + a.test.length).toBe(40);
    expect(splitRows(table, withTest)).toEqual(a);
    const plain = splitRows(table, spec);
    const strata = table.rows.map((r) => String(r[6]));
    expect({ train: plain.train, validation: plain.validation }).toEqual(holdoutSplit(40, { fraction: 0.25, seed: 3, strata }));
    expect(plain.test).toEqual([]);
  });
});
