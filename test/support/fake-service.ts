import { MemoryStore } from '../../src/storage/memory/memory-store';
import { ExperimentService, ExperimentServiceOptions } from '../../src/trials/experiment.service';
import { runSuggestTask } from '../../src/trials/scheduler/suggest-task';
import { FakeExecutor, FakeObjective } from './fake-executor';

/**
 * Opens experiment services on the memory store whose trials a {@link FakeExecutor} runs in
 * process (the test's objective, not the config's module), with `machineSlots` slots; the
 * executors made are kept in `executors`, newest last, for assertions on concurrency.
 */
export function fakeServices(artifactsDir: string, machineSlots: number) {
  const executors: FakeExecutor[] = [];
  const open = (objective: FakeObjective, options: Partial<ExperimentServiceOptions> = {}, store = new MemoryStore()) => {
    const service = new ExperimentService(store, {
      artifactsDir,
      machineSlots,
      executors: (slots) => {
        const executor = new FakeExecutor(slots, objective);
        executors.push(executor);
        return executor;
      },
      suggest: async (task) => runSuggestTask(task),
      ...options,
    });
    return { service, store };
  };
  const trialsOf = async (service: ExperimentService, id: number) => (await service.trials(id, { sort: 'number', limit: 1000 })).items;
  return { executors, open, trialsOf };
}
