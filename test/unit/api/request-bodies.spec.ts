import { NotFoundException } from '@nestjs/common';
import { toErrorBody } from '../../../src/api/domain-exception.filter';
import { compiledLoader } from '../../../src/api/experiments/config-text-parsing';
import { configFromBody } from '../../../src/api/experiments/experiment-requests';
import { bodyParseErrorHandler, bodyParseProblem } from '../../../src/api/request-body-errors';
import { BadRequestError } from '../../../src/domain/errors';

/** What body-parser passes to `next` when JSON.parse fails: the SyntaxError, with the raw text and a type. */
function parseFailure(body: string): SyntaxError {
  let error: SyntaxError;
  try {
    JSON.parse(body);
    error = new SyntaxError(`Unexpected token in "${body}" is not valid JSON`); // what strict mode says of null, 42, "text"
  } catch (e) {
    error = e as SyntaxError;
  }
  return Object.assign(error, { status: 400, body, type: 'entity.parse.failed' });
}

describe('request body errors', () => {
  it('reports malformed JSON at path body, in the shape of every other 400', () => {
    const error = bodyParseProblem(parseFailure('{bad json}'));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(toErrorBody(error)).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'the request has problems; see problems',
      problems: [{ path: 'body', message: expect.stringMatching(/^is not valid JSON: .*position 1/) }],
    });
  });

  it('says "must be an object", not "not valid JSON", of valid JSON that is not an object', () => {
    for (const body of ['null', '42', '"str"', ' true '])
      expect(bodyParseProblem(parseFailure(body))?.problems).toEqual([{ path: 'body', message: 'must be an object' }]);
  });

  it('passes other errors on unchanged', () => {
    const tooLarge = Object.assign(new Error('request entity too large'), { status: 413, type: 'entity.too.large' });
    const next = jest.fn();
    bodyParseErrorHandler(tooLarge, {}, {}, next);
    expect(next).toHaveBeenCalledWith(tooLarge);
    expect(bodyParseProblem(new Error('x'))).toBeUndefined();
    expect(bodyParseProblem(null)).toBeUndefined();
    expect(toErrorBody(tooLarge)).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: 'request entity too large',
      problems: [{ path: 'body', message: 'request entity too large' }],
    });
  });

  it("gives Nest's own 404 (an unknown route) the same title as the service's 404s", () => {
    expect(toErrorBody(new NotFoundException('Cannot GET /api/nope'))).toEqual({ statusCode: 404, error: 'Not Found', message: 'Cannot GET /api/nope' });
  });
});

describe('experiment create body', () => {
  const problems = async (body: unknown) => {
    try {
      await configFromBody(body);
    } catch (error) {
      return (error as BadRequestError).problems;
    }
    throw new Error('expected problems');
  };

  it('asks for a config when there is none, and for an object when the body is something else', async () => {
    expect((await problems(undefined))[0]).toMatchObject({ path: 'body', message: expect.stringMatching(/^send the experiment config/) });
    expect((await problems({}))[0].path).toBe('body');
    for (const body of [[], [1], null, 42, '- a list', '42', ''])
      expect(await problems(body)).toEqual([{ path: 'body', message: 'must be an object (the experiment config)' }]);
  });

  it('bounds the nesting of JSON and YAML bodies alike', async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(await problems({ name: deep })).toEqual([{ path: 'body', message: expect.stringMatching(/more than 64 levels/) }]);
    expect((await problems(`name: ${'['.repeat(1000)}${']'.repeat(1000)}`))[0].path).toMatch(/^body \(line 1, column \d+\)$/);
    expect(await configFromBody('name: a')).toEqual({ name: 'a' });
  });

  it('parses a large YAML body in a thread of its own, with the same answers as on the main thread', async () => {
    expect(compiledLoader()).toMatch(/dist\/src\/config\/config-loader\.js$/);
    const padding = `description: "${'x'.repeat(20_000)}"\n`;
    expect(await configFromBody(`${padding}name: a\nspace: {__proto__: {type: float}}\n`)).toMatchObject({ name: 'a', description: 'x'.repeat(20_000) });
    expect((await problems(`${padding}name: ${'['.repeat(1000)}${']'.repeat(1000)}`))[0].path).toMatch(/^body \(line 2, column \d+\)$/);
    const twice = `${padding}name: a\nname: b\n`;
    expect(await problems(twice)).toEqual([{ path: 'body (line 3, column 1)', message: expect.stringMatching(/unique/i) }]);
  });
});
