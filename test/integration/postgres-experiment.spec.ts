import { join } from 'node:path';
import { openStore } from '../../src/storage/store';
import { ExperimentService } from '../../src/trials/experiment.service';
import { moduleConfig } from '../support/service-fixture';
import { describePostgres, postgresTarget, TestTarget } from '../support/storage-targets';
import { tempDir } from '../support/temp-dir';

describePostgres('an experiment on PostgreSQL (the scale-out store)', () => {
  const tmp = tempDir();
  let target: TestTarget;
  beforeAll(async () => (target = await postgresTarget()));
  afterAll(async () => {
    await target.drop();
    tmp.cleanup();
  });

  it('runs to its budget, resumes, and ranks like on SQLite', async () => {
    const store = await openStore(target.target);
    const service = new ExperimentService(store, { artifactsDir: join(tmp.dir, 'artifacts') });
    const created = await service.create(moduleConfig('quadratic.js', { budget: { maxTrials: 6, parallelism: 2, trialTimeoutSec: 20 } }), '/');
    expect((await service.waitFor(created.id)).state).toBe('COMPLETE');
    await service.resume(created.id, { maxTrials: 9 });
    expect((await service.waitFor(created.id)).state).toBe('COMPLETE');
    const trials = (await service.trials(created.id, { sort: 'objective', limit: 100 })).items;
    expect(trials.map((t) => t.number).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const values = trials.map((t) => t.value!);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect((await service.trial(created.id, 2)).curve.loss).toHaveLength(3);
    await service.shutdown();
    await store.close();
  });
});
