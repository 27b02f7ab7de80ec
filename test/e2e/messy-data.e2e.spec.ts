import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { loadTrainedModel } from '../../src/models/artifact/model-artifact';
import { openHttpApp } from '../support/http-fixture';

/** 240 customers: an ID, a numeric column with blanks, a plan, a city with a long tail, churn in one case of six. */
function customers(): string {
  const lines = ['customer_id,age,plan,city,churn'];
  for (let i = 0; i < 240; i++) {
    const age = i % 11 === 0 ? '' : String(18 + ((i * 37) % 50));
    const plan = i % 17 === 0 ? '' : ['basic', 'pro', 'team'][i % 3];
    const city = i % 4 === 0 ? `village${i}` : ['paris', 'lyon', 'nice'][i % 3];
    const churn = (i % 6 === 0 && plan !== 'team') || (i * 37) % 50 > 45 ? 'yes' : 'no';
    lines.push(`C${10000 + i * 13},${age},${plan},${city},${churn}`);
  }
  return lines.join('\n');
}

describe('messy data over HTTP: the same preprocessing at training and serving', () => {
  let ctx: Awaited<ReturnType<typeof openHttpApp>>;
  let csv: string;
  const http = () => request(ctx.app.getHttpServer());
  const experiment = (name: string, dataset: object, registry?: object) => ({
    name,
    objective: { metric: 'val_f1', direction: 'maximize' },
    space: { learning_rate: { type: 'categorical', values: [0.02] } },
    search: { algorithm: 'random', seed: 1 },
    budget: { maxTrials: 1, parallelism: 1, trialTimeoutSec: 120 },
    trial: { kind: 'tfjs', task: 'classification', dataset: { path: csv, target: 'churn', ...dataset }, epochs: 15, batchSize: 32 },
    ...(registry ? { registry } : {}),
  });

  beforeAll(async () => {
    ctx = await openHttpApp();
    mkdirSync(join(ctx.dir, 'data'));
    csv = join(ctx.dir, 'data', 'customers.csv');
    writeFileSync(csv, customers());
  });
  afterAll(() => ctx.close());

  it('refuses what cannot be chosen, naming the field', async () => {
    const bad = async (dataset: object) => (await http().post('/api/experiments').send(experiment('bad', dataset)).expect(400)).body.problems;
    expect(await bad({ exclude: ['nope'] })).toEqual([{ path: 'trial.dataset.exclude', message: expect.stringMatching(/^no column "nope"/) }]);
    expect(await bad({ features: ['churn'] })).toEqual([{ path: 'trial.dataset.features', message: '"churn" is the target column, never a feature' }]);
    expect(await bad({ idColumns: 'refuse' })).toEqual([
      { path: 'trial.dataset.idColumns', message: expect.stringMatching(/ID-like column\(s\) "customer_id"/) },
    ]);
  });

  it('drops the ID with a notice, caps the city, weighs the classes, and serves missing and unseen values as it trained', async () => {
    const created = (
      await http()
        .post('/api/experiments')
        .send(experiment('churn', { maxCategories: 4, classWeights: 'balanced', impute: { numeric: 'median' } }, { model: 'churn' }))
        .expect(201)
    ).body;
    expect(created.notices).toEqual([expect.stringMatching(/^trial\.dataset: column "customer_id" is left out as ID-like/)]);
    expect((await ctx.context.experiments.waitFor(created.id)).state).toBe('COMPLETE');
    const version = (await http().get('/api/models/churn/versions/1').expect(200)).body;
    expect(version.inputSchema.dropped.map((d: { name: string }) => d.name)).toEqual(['customer_id']);
    expect(version.inputSchema.features.map((f: { name: string }) => f.name)).toEqual(['age', 'plan', 'city']);
    const city = version.inputSchema.features[2];
    expect(city.categories).toEqual(['lyon', 'nice', 'paris', '(other)']);
    expect(city.missingBecomes).toBe('unknown');

    const res = (
      await http()
        .post('/api/models/churn/predict')
        .send({ instances: [{ age: null, plan: 'enterprise', city: 'village8' }, { plan: '', city: 'atlantis' }, [30, 'pro', 'paris']] })
        .expect(200)
    ).body;
    expect(res.predictions).toHaveLength(3);
    expect(res.imputed).toEqual([
      { instance: 0, feature: 'age', value: version.inputSchema.features[0].missingBecomes },
      { instance: 1, feature: 'age', value: version.inputSchema.features[0].missingBecomes },
      { instance: 1, feature: 'plan', value: 'unknown' },
    ]);
    // village8 was a training category merged into "other": known, so not reported; atlantis never was.
    expect(res.unknownCategories).toEqual([
      { instance: 0, feature: 'plan', value: 'enterprise' },
      { instance: 1, feature: 'city', value: 'atlantis' },
    ]);

    // A model saved before these fields existed still loads and predicts: strip them from a real artifact.
    const dir = (await ctx.context.experiments.store.queries.byNumber(created.id, 1))!.artifactDir!;
    const model = await loadTrainedModel(dir);
    const file = join(dir, 'preprocessing.json');
    const prep = JSON.parse(readFileSync(file, 'utf8'));
    expect(prep.classWeights).toHaveLength(2);
    const old = {
      ...prep,
      features: prep.features.map(({ name, kind, mean, std, categories }: Record<string, unknown>) => ({ name, kind, mean, std, categories })),
    };
    delete old.dropped;
    delete old.classWeights;
    old.features[2].categories = old.features[2].categories.slice(0, 3).concat(['(other)']);
    writeFileSync(file, JSON.stringify(old));
    const reloaded = await loadTrainedModel(dir);
    const row = { age: 40, plan: 'pro', city: 'nice' };
    expect(reloaded.predict([row])).toEqual(model.predict([row]));
    expect(reloaded.predict([{ ...row, age: null }])[0]).toHaveProperty('label');
    model.model!.dispose();
    reloaded.model!.dispose();
  });
});
