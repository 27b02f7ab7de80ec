import { Queue } from 'bullmq';
import { MemoryStore } from '../../src/storage/memory/memory-store';
import { GPU_TRIAL_QUEUE, TRIAL_QUEUE } from '../../src/fleet/fleet-protocol';
import { QueueDispatcher } from '../../src/fleet/queue-dispatcher';
import { describeFleet, queuePrefix, TEST_REDIS_URL } from '../support/fleet-fixture';

describeFleet("what a dead scheduler left on the queue, as the adopter's dispatcher sees it (real Redis)", () => {
  const prefix = queuePrefix();
  let dispatcher: QueueDispatcher;
  const queues: Queue[] = [];

  beforeAll(async () => {
    dispatcher = await QueueDispatcher.open({
      url: TEST_REDIS_URL,
      prefix: prefix.prefix,
      store: new MemoryStore(),
      owner: () => 'adopter',
      runs: (id) => id === 1,
    });
  });

  afterAll(async () => {
    await dispatcher?.close();
    await Promise.all(queues.map((q) => q.close()));
    await prefix.cleanup();
  });

  it("removes the waiting jobs of adopted experiments that another owner queued, and keeps its own and other experiments'", async () => {
    const connection = { host: '127.0.0.1', port: Number(new URL(TEST_REDIS_URL).port || 6379) };
    const cpu = new Queue(TRIAL_QUEUE, { connection, prefix: prefix.prefix });
    const gpu = new Queue(GPU_TRIAL_QUEUE, { connection, prefix: prefix.prefix });
    queues.push(cpu, gpu);
    await cpu.add('trial', { experimentId: 1, owner: 'dead' }, { jobId: 'trial-1-attempt-1' });
    await cpu.add('trial', { experimentId: 1, owner: 'adopter' }, { jobId: 'trial-9-attempt-1' });
    await cpu.add('trial', { experimentId: 2, owner: 'dead' }, { jobId: 'trial-5-attempt-1' });
    await gpu.add('trial', { experimentId: 1, owner: 'dead' }, { jobId: 'trial-3-attempt-2', delay: 60_000 });
    expect(await dispatcher.removeStaleJobs([1])).toBe(2);
    const left = async (q: Queue) => (await q.getJobs(['waiting', 'delayed'])).map((j) => j.id).sort();
    expect(await left(cpu)).toEqual(['trial-5-attempt-1', 'trial-9-attempt-1']);
    expect(await left(gpu)).toEqual([]);
    expect(await dispatcher.removeStaleJobs([1])).toBe(0);
  });

  it('tells a worker to stop an attempt of an experiment it runs that it does not wait for (a stale job a worker took), and leaves others alone', async () => {
    const reply = await dispatcher.heartbeat({
      id: 'w1',
      host: 'h',
      pid: 1,
      slots: 2,
      gpus: [],
      tags: [],
      startedAt: Date.now(),
      running: [
        { trialId: 1, attempt: 1, experimentId: 1 },
        { trialId: 5, attempt: 1, experimentId: 2 },
      ],
    });
    expect(reply.cancel).toEqual([{ trialId: 1, attempt: 1, experimentId: 1 }]);
  });
});
