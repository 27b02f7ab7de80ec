import { readInstances, validateRows } from '../../../src/registry/input-validation';
import { InputSchema } from '../../../src/storage/repositories/model-records';
import { BadRequestError } from '../../../src/trials/domain-errors';

const schema: InputSchema = {
  task: 'classification',
  target: 'y',
  features: [{ name: 'length', type: 'numeric' }, { name: 'width', type: 'numeric' }, { name: 'colour', type: 'categorical', categories: ['red', 'blue'] }],
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
    expect(problems(() => readInstances([], 10))).toEqual([{ path: 'body', message: 'send a JSON object {"instances": [...]}' }]);
    expect(problems(() => readInstances({}, 10))[0]).toMatchObject({ path: 'instances', message: expect.stringMatching(/^is required/) });
    expect(problems(() => readInstances({ instances: 'x' }, 10))).toEqual([{ path: 'instances', message: 'must be an array of rows' }]);
    expect(problems(() => readInstances({ instances: [] }, 10))).toEqual([{ path: 'instances', message: 'must hold at least one row' }]);
    expect(problems(() => readInstances({ instances: [1, 2, 3] }, 2))).toEqual([{ path: 'instances', message: 'holds 3 rows; at most 2 per request' }]);
    expect(readInstances({ instances: [[1, 2, 'red']] }, 2)).toEqual([[1, 2, 'red']]);
  });

  it('accepts arrays in feature order and objects by name, numeric strings and nulls (missing values)', () => {
    const rows = [[1, '2.5', 'red'], { length: 1, width: null, colour: 'green' }];
    expect(validateRows(rows, schema)).toBe(rows);
  });

  it('names each problem by row and feature', () => {
    const rows = [
      [1, 2],
      [1, 'wide', 'red'],
      { length: 1, colour: 'red', height: 3 },
      { length: 1, width: 2, colour: { hue: 1 } },
      42,
    ];
    expect(problems(() => validateRows(rows, schema))).toEqual([
      { path: 'instances[0]', message: 'expected 3 values (length, width, colour), got 2' },
      { path: 'instances[1].width', message: 'expected a number, got "wide"' },
      { path: 'instances[2].height', message: 'unknown feature (expected length, width, colour)' },
      { path: 'instances[2].width', message: 'is missing' },
      { path: 'instances[3].colour', message: 'expected a category (a string or a number), got {"hue":1}' },
      { path: 'instances[4]', message: 'expected an array of 3 values or an object keyed by feature name, got 42' },
    ]);
  });

  it('stops listing after 20 problems', () => {
    const rows = Array.from({ length: 50 }, () => ['x', 'y', 'red']);
    expect(problems(() => validateRows(rows, schema))).toHaveLength(20);
  });
});
