import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { columnIndex, CsvError, parseCsv, readCsvTable } from '../../../src/models/data/csv-table';
import { holdoutSplit } from '../../../src/models/data/holdout-split';

describe('parseCsv', () => {
  it('types columns: numeric when every non-empty value is a number', () => {
    const t = parseCsv('a,b,c\n1,x,2.5\n-3e2,y,\n', 'm.csv');
    expect(t.header).toEqual(['a', 'b', 'c']);
    expect(t.kinds).toEqual(['numeric', 'categorical', 'numeric']);
    expect(t.rows).toEqual([
      [1, 'x', 2.5],
      [-300, 'y', null],
    ]);
    expect(t.lines).toEqual([2, 3]);
  });

  it('handles quoted fields with commas, doubled quotes, newlines; CRLF; blank lines; BOM', () => {
    const text = '\ufeffname,"note, long",n\r\n\r\n"Smith, J","said ""hi""\nthen left",1\r\n  \nplain , "x" ,2\n';
    const t = parseCsv(text);
    expect(t.header).toEqual(['name', 'note, long', 'n']);
    expect(t.rows).toEqual([
      ['Smith, J', 'said "hi"\nthen left', 1],
      ['plain', 'x', 2],
    ]);
    expect(t.lines).toEqual([3, 6]);
  });

  it('treats a column with any non-number as categorical, keeping text', () => {
    const t = parseCsv('v\n1\n0x10\nInfinity\n');
    expect(t.kinds).toEqual(['categorical']);
    expect(t.rows.map((r) => r[0])).toEqual(['1', '0x10', 'Infinity']);
  });

  it('errors name the file, line and column', () => {
    expect(() => parseCsv('a,b\n1,2\n3\n', 'f.csv')).toThrow('f.csv: line 3, column 2: expected 2 fields (as in the header), found 1');
    expect(() => parseCsv('a,b\n1,"2\n', 'f.csv')).toThrow(/f\.csv: line 2, column 2: quoted field never closed/);
    expect(() => parseCsv('a,b\n1,x"y\n', 'f.csv')).toThrow(/line 2, column 2: unexpected quote/);
    expect(() => parseCsv('a,a\n1,2\n', 'f.csv')).toThrow(/line 1, column 2: duplicate column name$/);
    expect(() => parseCsv('', 'f.csv')).toThrow(CsvError);
    expect(() => parseCsv('a,b\n', 'f.csv')).toThrow(/no data rows/);
  });

  it('columnIndex lists the columns when a name is missing', () => {
    expect(() => columnIndex(parseCsv('a,b\n1,2\n', 'f.csv'), 'z')).toThrow("f.csv: no column 'z' (columns: a, b)");
  });
});

describe('readCsvTable', () => {
  it('reads the bundled iris data', async () => {
    const t = await readCsvTable(path.join(__dirname, '../../../experiments/data/iris.csv'));
    expect(t.rows).toHaveLength(150);
    expect(t.kinds).toEqual(['numeric', 'numeric', 'numeric', 'numeric', 'categorical']);
  });

  it('names the file when it cannot be read, and in parse errors', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'csv-'));
    await expect(readCsvTable(path.join(dir, 'none.csv'))).rejects.toThrow(/cannot read dataset .*none\.csv/);
    writeFileSync(path.join(dir, 'bad.csv'), 'a,b\n1,2,3\n');
    await expect(readCsvTable(path.join(dir, 'bad.csv'))).rejects.toThrow(/bad\.csv: line 2/);
  });
});

describe('holdoutSplit', () => {
  it('is a seeded partition of the requested size', () => {
    const a = holdoutSplit(100, { fraction: 0.2, seed: 3 });
    expect(a.validation).toHaveLength(20);
    expect([...a.train, ...a.validation].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(holdoutSplit(100, { fraction: 0.2, seed: 3 })).toEqual(a);
    expect(holdoutSplit(100, { fraction: 0.2, seed: 4 })).not.toEqual(a);
  });

  it('keeps class proportions when stratified', () => {
    const strata = Array.from({ length: 150 }, (_, i) => ['a', 'b', 'c'][Math.floor(i / 50)]);
    const { validation } = holdoutSplit(150, { fraction: 0.2, seed: 1, strata });
    const count = (c: string): number => validation.filter((i) => strata[i] === c).length;
    expect([count('a'), count('b'), count('c')]).toEqual([10, 10, 10]);
  });

  it('keeps a lone class member in training and rejects bad fractions', () => {
    const strata = ['x', 'y', 'y', 'y'];
    for (let seed = 0; seed < 5; seed++) expect(holdoutSplit(4, { fraction: 0.5, seed, strata }).train).toContain(0);
    expect(() => holdoutSplit(10, { fraction: 1, seed: 1 })).toThrow(/fraction/);
  });
});
