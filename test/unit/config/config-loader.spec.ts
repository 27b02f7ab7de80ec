import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateCommand } from '../../../src/cli/commands/validate.command';
import { CliIO } from '../../../src/cli/cli-output';
import { checkConfigDepth, MAX_CONFIG_DEPTH, nestingExceeds, parseConfigText, readConfigFile } from '../../../src/config/config-loader';
import { tempDir } from '../../support/temp-dir';
import { ConfigSyntaxError } from '../../../src/domain/errors';

/** The "billion laughs" alias bomb: seven levels of nine aliases each, 9^7 (about 4.8 million) leaves. */
function aliasBomb(): string {
  const names = 'abcdefg';
  let text = 'a: &a [x,x,x,x,x,x,x,x,x]\n';
  for (let i = 1; i < names.length; i++)
    text += `${names[i]}: &${names[i]} [${Array(9)
      .fill(`*${names[i - 1]}`)
      .join(',')}]\n`;
  return text;
}

/** `[[[...]]]` nested `depth` levels around `inner`, built without recursion. */
function nestedArray(depth: number, inner: unknown = 1): unknown {
  let v = inner;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

function problems(fn: () => unknown): { path: string; message: string }[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigSyntaxError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigSyntaxError');
}

describe('config loader on hostile text', () => {
  it('refuses an alias bomb instead of expanding it, naming the source', () => {
    expect(problems(() => parseConfigText(aliasBomb(), 'body'))).toEqual([{ path: 'body', message: expect.stringMatching(/aliases .* too many times/) }]);
  });

  it('refuses YAML and JSON nested deeper than the limit, with the line and column where it goes too deep', () => {
    const flow = (n: number) => `x: ${'['.repeat(n)}${']'.repeat(n)}`;
    expect(parseConfigText(flow(MAX_CONFIG_DEPTH - 1), 'body')).toEqual({ x: nestedArray(MAX_CONFIG_DEPTH - 2, []) }); // the map is a level too
    for (const n of [MAX_CONFIG_DEPTH, 1000, 100_000]) {
      expect(problems(() => parseConfigText(flow(n), 'body'))).toEqual([
        { path: `body (line 1, column ${3 + MAX_CONFIG_DEPTH})`, message: `nests lists and maps more than ${MAX_CONFIG_DEPTH} levels deep` },
      ]);
    }
    const json = `{"name": "a",\n "x": ${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
    expect(problems(() => parseConfigText(json, 'body'))[0].path).toMatch(/^body \(line 2, column \d+\)$/);
    const block = `x:\n${Array.from({ length: 200 }, (_, i) => `${' '.repeat(i + 1)}-`).join('\n')} 1\n`;
    expect(problems(() => parseConfigText(block, 'cfg.yaml'))[0]).toEqual({
      path: 'cfg.yaml (line 65, column 65)',
      message: expect.stringMatching(/more than 64 levels/),
    });
  });

  it('measures depth after aliases are expanded, and treats a self-referencing alias as too deep', () => {
    const deepByAlias = `a: &a ${'['.repeat(60)}${']'.repeat(60)}\nb: [[[[[[*a]]]]]]\n`;
    expect(problems(() => parseConfigText(deepByAlias, 'body'))).toEqual([{ path: 'body', message: expect.stringMatching(/more than 64 levels/) }]);
    expect(problems(() => parseConfigText('a: &a [*a]', 'body'))[0].path).toBe('body');
  });

  it('turns anything else the parser throws (a stack overflow in its lexer) into a problem at the source', () => {
    expect(problems(() => parseConfigText(`x: ${'- '.repeat(50_000)}1\n`, 'body'))).toEqual([{ path: 'body', message: expect.any(String) }]);
  });

  it('prefixes syntax errors with the source', () => {
    expect(problems(() => parseConfigText('name: [unclosed', 'body'))[0].path).toBe('body (line 1, column 16)');
    expect(problems(() => parseConfigText('name: a\nname: b'))[0].path).toBe('config (line 2, column 1)');
  });

  it('counts depth iteratively: a scalar is 0, {a: 1} is 1, and a 1e6-deep array does not overflow', () => {
    expect(nestingExceeds(1, 0)).toBe(false);
    expect(nestingExceeds({ a: 1 }, 0)).toBe(true);
    expect(nestingExceeds({ a: [1] }, 2)).toBe(false);
    expect(nestingExceeds({ a: [1] }, 1)).toBe(true);
    expect(nestingExceeds(nestedArray(1_000_000), MAX_CONFIG_DEPTH)).toBe(true);
    expect(problems(() => checkConfigDepth({ space: nestedArray(100) }, 'body'))).toEqual([
      { path: 'body', message: expect.stringMatching(/more than 64 levels/) },
    ]);
    expect(() => checkConfigDepth({ space: nestedArray(10) }, 'body')).not.toThrow();
  });
});

describe('config files', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('names the file in every parse problem, for hpo run and hpo validate alike', async () => {
    const bomb = join(tmp.dir, 'bomb.yaml');
    writeFileSync(bomb, aliasBomb());
    const deep = join(tmp.dir, 'deep.json');
    writeFileSync(deep, `{"x": ${'['.repeat(5000)}${']'.repeat(5000)}}`);
    expect(problems(() => readConfigFile(bomb))).toEqual([{ path: bomb, message: expect.stringMatching(/aliases/) }]);
    expect(problems(() => readConfigFile(deep))[0].path).toBe(`${deep} (line 1, column ${6 + MAX_CONFIG_DEPTH})`);

    const lines: string[] = [];
    const io: CliIO = { out: (t) => lines.push(t), err: (t) => lines.push(t), interactive: false };
    expect(await validateCommand(bomb, {}, io)).toBe(2);
    expect(lines).toEqual(['hpo: the input has problems:', expect.stringContaining(`${bomb}: expands YAML aliases`)]);
  });
});
