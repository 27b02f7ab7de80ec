import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { stringify } from 'yaml';
import { openHttpApp } from '../support/http-fixture';
import { tempDir } from '../support/temp-dir';

/**
 * Every path-taking field of a config sent over REST, against every way of stepping outside the
 * roots: all refused with a 400 naming the field, nothing outside the roots read, imported or run,
 * and no answer that tells an existing file outside the roots from a missing one.
 */
describe('paths that arrive over the network stay under the roots', () => {
  const tmp = tempDir('hpo-roots-');
  const base = realpathSync(tmp.dir);
  const data = join(base, 'data');
  const code = join(base, 'code');
  const outside = join(base, 'outside');
  const marker = join(base, 'marker');
  let ctx: Awaited<ReturnType<typeof openHttpApp>>;
  const http = () => request(ctx.app.getHttpServer());

  beforeAll(async () => {
    for (const d of [data, code, outside]) mkdirSync(d);
    writeFileSync(join(data, 'ok.csv'), 'a,b,y\n1,2,x\n3,4,z\n5,6,x\n');
    writeFileSync(join(outside, 'secret.csv'), 'password,user\nhunter2,alice\nswordfish,bob\n');
    // A FIFO: opening it to read blocks until a writer comes, so a request that opened it would never answer.
    execFileSync('mkfifo', [join(outside, 'pipe.csv')]);
    writeFileSync(join(outside, 'evil.js'), `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'imported');\nexports.objective = () => 1;\n`);
    writeFileSync(join(code, 'fine.js'), 'exports.objective = () => 1;\n');
    // Records where it was imported: validation must never import it; a trial imports it in a worker thread.
    writeFileSync(
      join(code, 'telltale.js'),
      `require('node:fs').writeFileSync(${JSON.stringify(join(base, 'telltale'))}, String(require('node:worker_threads').isMainThread));\nexports.objective = () => 1;\n`,
    );
    symlinkSync(join(outside, 'secret.csv'), join(data, 'link.csv'));
    symlinkSync(join(outside, 'pipe.csv'), join(data, 'pipe-link.csv'));
    symlinkSync(outside, join(data, 'out-dir'));
    symlinkSync(join(outside, 'evil.js'), join(code, 'evil-link.js'));
    symlinkSync(outside, join(code, 'out-dir'));
    ctx = await openHttpApp({ HPO_DATA_ROOTS: data, HPO_CODE_ROOTS: code, HPO_COMMANDS: 'node' });
  });
  afterAll(async () => {
    await ctx.close();
    tmp.cleanup();
  });

  /** Ways out of `root` towards `target` (a name in `outside`), as a client might spell them. */
  const escapes = (root: string, target: string): Record<string, string> => ({
    plain: `${root}/../outside/${target}`,
    relative: `../../../../../../..${outside}/${target}`,
    encoded: `${root}/%2e%2e/outside/${target}`,
    'encoded slash': `${root}/..%2foutside%2f${target}`,
    'double-encoded': `${root}/%252e%252e/outside/${target}`,
    backslash: `${root}\\..\\outside\\${target}`,
    'symlinked file': `${root}/${target.endsWith('.js') ? 'evil-link.js' : 'link.csv'}`,
    'symlinked folder': `${root}/out-dir/${target}`,
    absolute: `${outside}/${target}`,
    'absolute system file': '/etc/passwd',
    nul: `${root}/ok.csv\0/../../outside/${target}`,
  });

  const space = { x: { type: 'float', low: 0, high: 1 } };
  const configs: Record<string, (value: string) => Record<string, unknown>> = {
    'trial.dataset.path': (path) => ({
      name: 'traversal',
      objective: { metric: 'val_accuracy', direction: 'maximize' },
      space: { learning_rate: { type: 'float', low: 0.001, high: 0.1 } },
      trial: { kind: 'tfjs', task: 'classification', dataset: { path, target: 'y' } },
    }),
    'trial.module': (module) => ({ name: 'traversal', objective: { metric: 'v', direction: 'minimize' }, space, trial: { kind: 'module', module } }),
    'trial.cwd': (cwd) => ({
      name: 'traversal',
      objective: { metric: 'v', direction: 'minimize' },
      space,
      trial: { kind: 'command', command: ['node', '-e', '1'], cwd },
    }),
    'trial.command[0]': (program) => ({
      name: 'traversal',
      objective: { metric: 'v', direction: 'minimize' },
      space,
      trial: { kind: 'command', command: [program], cwd: code },
    }),
  };
  const targetOf: Record<string, string> = { 'trial.dataset.path': 'secret.csv', 'trial.module': 'evil.js', 'trial.cwd': '', 'trial.command[0]': 'evil.js' };
  const rootOf: Record<string, string> = { 'trial.dataset.path': data };

  const cases = Object.entries(configs).flatMap(([field, make]) =>
    Object.entries(escapes(rootOf[field] ?? code, targetOf[field])).flatMap(([how, value]) =>
      (['json', 'yaml'] as const).map((type) => ({ field, how, type, body: make(value) })),
    ),
  );

  it.each(cases)('$field, $how ($type): 400 naming the field, nothing read or run', async ({ field, type, body }) => {
    const post = http().post('/api/experiments').timeout(10_000);
    const res = type === 'json' ? await post.send(body) : await post.set('Content-Type', 'application/yaml').send(stringify(body));
    expect(res.status).toBe(400);
    expect(res.body.problems.map((p: { path: string }) => p.path)).toContain(field);
    expect(res.text).not.toContain(outside);
    expect(res.text).not.toMatch(/hunter2|password|swordfish|root:/);
    expect(existsSync(marker)).toBe(false);
  });

  it('stored nothing and started nothing (the refusals above)', async () => {
    const list = await http().get('/api/experiments').expect(200);
    expect(list.body.total).toBe(0);
  });

  it('answers a missing file outside the roots exactly as an existing one (no existence oracle)', async () => {
    const ask = async (path: string) => {
      const res = await http().post('/api/experiments').send(configs['trial.dataset.path'](path)).expect(400);
      return res.body.problems.find((p: { path: string }) => p.path === 'trial.dataset.path').message as string;
    };
    const existing = await ask(`${outside}/secret.csv`);
    expect(await ask(`${outside}/no-such-file.csv`)).toBe(existing);
    expect(await ask('/etc/shadow')).toBe(existing);
    expect(await ask('/etc/no-such-file')).toBe(existing);
    expect(await ask(`${data}/out-dir/no-such-file.csv`)).toBe(existing);
    // Under a root a missing file may say so: the roots are the caller's to see.
    expect(await ask(`${data}/missing.csv`)).toBe(`file not found: ${data}/missing.csv`);
  });

  it('refuses /etc/shadow without echoing a byte of it', async () => {
    const res = await http()
      .post('/api/experiments')
      .send({
        ...configs['trial.dataset.path']('/etc/shadow'),
        trial: { kind: 'tfjs', task: 'classification', dataset: { path: '/etc/shadow', target: 'zzz' } },
      })
      .expect(400);
    expect(res.body.problems).toEqual([{ path: 'trial.dataset.path', message: expect.stringMatching(/^is not allowed/) }]);
    expect(res.text).not.toMatch(/root:|columns|shadow/);
  });

  it('never opens a file it refuses: a FIFO outside the roots (an open would block) is refused at once', async () => {
    for (const path of [`${outside}/pipe.csv`, `${data}/pipe-link.csv`, `${data}/out-dir/pipe.csv`]) {
      const res = await http().post('/api/experiments').timeout(5_000).send(configs['trial.dataset.path'](path));
      expect(res.status).toBe(400);
    }
  });

  it('refuses the command trial `sh -c "id > FILE"` without running it', async () => {
    const out = join(base, 'id-output');
    const res = await http()
      .post('/api/experiments')
      .send({
        name: 'shell',
        objective: { metric: 'v', direction: 'minimize' },
        space,
        trial: { kind: 'command', command: ['sh', '-c', `id > ${out}`], cwd: code },
      })
      .expect(400);
    expect(res.body.problems).toEqual([{ path: 'trial.command[0]', message: expect.stringMatching(/^is not a program this service may start/) }]);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(existsSync(out)).toBe(false);
  });

  it('refuses environment variables that choose what code runs', async () => {
    const env = {
      PATH: '/tmp',
      NODE_OPTIONS: '--require /tmp/x.js',
      LD_PRELOAD: '/tmp/x.so',
      DYLD_INSERT_LIBRARIES: 'x',
      NODE_PATH: '/tmp',
      HPO_TRIAL_ID: '1',
      ok_name: 'fine',
    };
    const res = await http()
      .post('/api/experiments')
      .send({ name: 'env', objective: { metric: 'v', direction: 'minimize' }, space, trial: { kind: 'command', command: ['node', '-e', '1'], cwd: code, env } })
      .expect(400);
    expect(res.body.problems.map((p: { path: string }) => p.path).sort()).toEqual(
      [
        'trial.env.DYLD_INSERT_LIBRARIES',
        'trial.env.HPO_TRIAL_ID',
        'trial.env.LD_PRELOAD',
        'trial.env.NODE_OPTIONS',
        'trial.env.NODE_PATH',
        'trial.env.PATH',
      ].sort(),
    );
  });

  it('refuses names that would write outside the artifact and registry stores', async () => {
    const ok = configs['trial.dataset.path'](`${data}/ok.csv`);
    for (const name of ['../x', 'a/b', '..', '%2e%2e', 'a\\b', 'x\0y']) {
      const byName = await http()
        .post('/api/experiments')
        .send({ ...ok, name })
        .expect(400);
      expect(byName.body.problems.map((p: { path: string }) => p.path)).toContain('name');
      const byModel = await http()
        .post('/api/experiments')
        .send({ ...ok, registry: { model: name } })
        .expect(400);
      expect(byModel.body.problems.map((p: { path: string }) => p.path)).toContain('registry.model');
      const alias = await http()
        .post('/api/experiments')
        .send({ ...ok, registry: { model: 'm', alias: name } })
        .expect(400);
      expect(alias.body.problems.map((p: { path: string }) => p.path)).toContain('registry.alias');
    }
    for (const route of ['..%2f..%2fetc', '%2e%2e', '..%5c..', 'a%00b']) {
      expect((await http().get(`/api/models/${route}`)).status).toBe(400);
      expect((await http().get(`/api/models/m/versions/1`).query({})).status).toBe(404);
      expect((await http().put(`/api/models/m/aliases/${route}`).send({ version: 1 })).status).toBe(400);
      expect(
        (
          await http()
            .post(`/api/models/${route}/predict`)
            .send({ instances: [[1, 2]] })
        ).status,
      ).toBe(400);
    }
    expect(
      (
        await http()
          .post('/api/models/m/predict?alias=../../x')
          .send({ instances: [[1]] })
      ).status,
    ).toBe(400);
    expect((await http().post('/api/models/m/versions').send({ experimentId: 1, alias: '../x' })).status).toBe(400);
  });

  it('validates a module without importing it; a trial imports it in a worker thread, never the main one', async () => {
    const telltale = join(base, 'telltale');
    const invalid = { ...configs['trial.module'](`${code}/telltale.js`), budget: { maxTrials: 0 } };
    await http().post('/api/experiments').send(invalid).expect(400);
    expect(existsSync(telltale)).toBe(false);
    const res = await http()
      .post('/api/experiments')
      .send({ ...configs['trial.module'](`${code}/telltale.js`), budget: { maxTrials: 1 } })
      .expect(201);
    await ctx.context.experiments.waitFor(res.body.id);
    expect(readFileSync(telltale, 'utf8')).toBe('false');
  });

  it('accepts what lies under the roots, resolving it to its real path', async () => {
    const res = await http()
      .post('/api/experiments')
      .send({ ...configs['trial.module'](`${code}/fine.js`), budget: { maxTrials: 1 } })
      .expect(201);
    const shown = await http().get(`/api/experiments/${res.body.id}`).expect(200);
    expect(shown.body.spec.trial.module).toBe(`${code}/fine.js`);
    await ctx.context.experiments.waitFor(res.body.id);
  });
});
