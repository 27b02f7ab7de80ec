import { describeValue } from '../../../src/config/schema/problem-collector';
import { readInstances, validateRows } from '../../../src/registry/input-validation';
import { BadRequestError } from '../../../src/domain/errors';
import { InputSchema } from '../../../src/models/artifact/input-schema';

const schema: InputSchema = {
  task: 'classification',
  target: 'y',
  features: [
    { name: 'length', type: 'numeric' },
    { name: 'width', type: 'numeric' },
    { name: 'colour', type: 'categorical', categories: ['red', 'blue'] },
  ],
  classes: ['a', 'b'],
};

function problems(fn: () => unknown): { path: string; message: string }[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof BadRequestError) return error.problems;
    throw error;
  }
  throw new Error('expected a BadRequestError');
}

describe('predict input validation', () => {
  it('checks the envelope: an object with a non-empty instances array within the batch limit', () => {
    for (const body of [[], null, 42, 'text'])
      expect(problems(() => readInstances(body, 10))).toEqual([{ path: 'body', message: 'must be an object {"instances": [...]}' }]);
    expect(problems(() => readInstances({}, 10))[0]).toMatchObject({ path: 'instances', message: expect.stringMatching(/^is required/) });
    expect(problems(() => readInstances({ instances: 'x' }, 10))).toEqual([{ path: 'instances', message: 'must be an array of rows' }]);
    expect(problems(() => readInstances({ instances: [] }, 10))).toEqual([{ path: 'instances', message: 'must hold at least one row' }]);
    expect(problems(() => readInstances({ instances: [1, 2, 3] }, 2))).toEqual([{ path: 'instances', message: 'holds 3 rows; at most 2 per request' }]);
    expect(readInstances({ instances: [[1, 2, 'red']] }, 2)).toEqual([[1, 2, 'red']]);
  });

  it('accepts arrays in feature order and objects by name, numeric strings and categories not seen in training', () => {
    const rows = [[1, '2.5', 'red'], { length: 1, width: 2, colour: 'green' }];
    expect(validateRows(rows, schema)).toBe(rows);
  });

  it('lets missing values through (null, "", an absent key), numeric or categorical: the model fills them in as at training', () => {
    const rows = [[null, '', 'red'], { length: 1, width: null, colour: null }, { width: 2 }];
    expect(validateRows(rows, schema)).toBe(rows);
  });

  it('says a number must be finite when it is not (JSON 1e309 arrives as Infinity)', () => {
    expect(
      problems(() =>
        validateRows(
          [
            [JSON.parse('1e309'), -Infinity, 'red'],
            ['1e999', NaN, 'red'],
          ],
          schema,
        ),
      ),
    ).toEqual([
      { path: 'instances[0].length', message: 'expected a finite number, got Infinity' },
      { path: 'instances[0].width', message: 'expected a finite number, got -Infinity' },
      { path: 'instances[1].length', message: 'expected a finite number, got "1e999"' },
      { path: 'instances[1].width', message: 'expected a finite number, got NaN' },
    ]);
  });

  it('names arrays and objects by kind without walking into them, however deep they nest', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(problems(() => validateRows([[deep, { a: deep }, deep], deep], schema))).toEqual([
      { path: 'instances[0].length', message: 'expected a number, got an array' },
      { path: 'instances[0].width', message: 'expected a number, got an object' },
      { path: 'instances[0].colour', message: 'expected a category (a string or a number), got an array' },
      { path: 'instances[1]', message: 'expected 3 values (length, width, colour), got 1' },
    ]);
    expect(describeValue('x'.repeat(1000))).toBe(`"${'x'.repeat(40)}"... (1000 characters)`);
    expect(describeValue(true)).toBe('true');
  });

  it('names each problem by row and feature', () => {
    const rows = [[1, 2], [1, 'wide', 'red'], { length: 1, colour: 'red', height: 3 }, { length: 1, width: 2, colour: { hue: 1 } }, 42];
    expect(problems(() => validateRows(rows, schema))).toEqual([
      { path: 'instances[0]', message: 'expected 3 values (length, width, colour), got 2' },
      { path: 'instances[1].width', message: 'expected a number, got "wide"' },
      { path: 'instances[2].height', message: 'unknown feature (expected length, width, colour)' },
      { path: 'instances[3].colour', message: 'expected a category (a string or a number), got an object' },
      { path: 'instances[4]', message: 'expected an array of 3 values or an object keyed by feature name, got 42' },
    ]);
  });

  it('stops listing after 20 problems', () => {
    const rows = Array.from({ length: 50 }, () => ['x', 'y', 'red']);
    expect(problems(() => validateRows(rows, schema))).toHaveLength(20);
  });
});
