import { join } from 'node:path';
import { openStore, Store } from '../../src/storage/store';
import { ExperimentService } from '../../src/trials/experiment.service';
import { runSuggestTask, SuggestTask } from '../../src/trials/scheduler/suggest-task';
import { moduleConfig } from '../support/service-fixture';
import { tempDir } from '../support/temp-dir';

describe('warm starts and queued parameters', () => {
  const tmp = tempDir();
  let store: Store;
  let service: ExperimentService;
  const asked: SuggestTask[] = [];
  beforeAll(async () => {
    store = await openStore({ kind: 'sqlite', file: join(tmp.dir, 'hpo.db') });
    const suggest = async (task: SuggestTask) => {
      asked.push({ ...task, history: [...task.history] }); // the runner passes its own array, which grows
      return runSuggestTask(task);
    };
    service = new ExperimentService(store, { artifactsDir: join(tmp.dir, 'artifacts'), suggest });
  });
  afterAll(async () => {
    await service.shutdown();
    await store.close();
    tmp.cleanup();
  });

  async function run(config: Record<string, unknown>) {
    const { id } = await service.create(config, '/');
    expect((await service.waitFor(id)).state).toBe('COMPLETE');
    return id;
  }

  it('feeds a finished experiment to the sampler as history, neither run again nor counted in the budget', async () => {
    const source = await run(moduleConfig('quadratic.js', { name: 'source', budget: { maxTrials: 6, parallelism: 1, trialTimeoutSec: 20 } }));
    const sourceIds = (await store.trials.inStates(source, ['COMPLETE'])).map((t) => t.id).sort();
    asked.length = 0;
    const warm = await run(
      moduleConfig('quadratic.js', {
        name: 'warm',
        search: { algorithm: 'tpe', seed: 1, warmStart: { experiment: source } },
        budget: { maxTrials: 3, parallelism: 1, trialTimeoutSec: 20 },
      }),
    );
    expect(asked[0].history.map((h) => h.id).sort()).toEqual(sourceIds);
    expect(asked[asked.length - 1].history).toHaveLength(6 + 2);
    expect((await service.trials(warm, { sort: 'number', limit: 50 })).items).toHaveLength(3);
    expect(await service.get(warm)).toMatchObject({ warmStartFrom: source, trialCounts: expect.objectContaining({ COMPLETE: 3 }) });
  });

  it('refuses a warm start from a missing experiment or another space, naming the path', async () => {
    const source = (await service.list({ limit: 10, offset: 0 })).items.find((e) => e.name === 'source')!.id;
    await expect(
      service.create(moduleConfig('quadratic.js', { name: 'w1', search: { algorithm: 'tpe', warmStart: { experiment: 9999 } } }), '/'),
    ).rejects.toMatchObject({
      problems: [{ path: 'search.warmStart.experiment', message: 'experiment 9999 not found' }],
    });
    const other = moduleConfig('quadratic.js', {
      name: 'w2',
      space: { x: { type: 'float', low: 0, high: 1 } },
      search: { algorithm: 'tpe', warmStart: { experiment: source } },
    });
    await expect(service.create(other, '/')).rejects.toMatchObject({ problems: [expect.objectContaining({ path: 'search.warmStart.experiment' })] });
  });

  it('runs queued parameters next and refuses parameters outside the space', async () => {
    const { id } = await service.create(moduleConfig('quadratic.js', { name: 'queued', budget: { maxTrials: 3, parallelism: 1, trialTimeoutSec: 20 } }), '/');
    const queued = await service.enqueue(id, { x: 1, k: 3 });
    expect(queued.state).toBe('WAITING');
    await expect(service.enqueue(id, { x: 99, k: 3 })).rejects.toMatchObject({ problems: [expect.objectContaining({ path: 'params' })] });
    expect((await service.waitFor(id)).state).toBe('COMPLETE');
    const trials = (await service.trials(id, { sort: 'number', limit: 50 })).items;
    expect(trials).toHaveLength(3);
    expect(trials.find((t) => t.number === queued.number)).toMatchObject({ state: 'COMPLETE', params: { x: 1, k: 3 }, value: 0 });
    expect(trials.filter((t) => t.enqueued).map((t) => t.number)).toEqual([queued.number]);
  });
});
