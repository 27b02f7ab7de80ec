import { resolve } from 'node:path';
import { hpo } from '../support/cli-runner';
import {
  allTrials,
  finalState,
  moduleExperiment,
  getJson,
  queuePrefix,
  queueService,
  startWorkerProcess,
  submit,
  TEST_REDIS_URL,
  TrialRow,
  WorkerProcess,
  describeFleet,
} from '../support/fleet-fixture';
import { postgresTarget, TestTarget } from '../support/storage-targets';
import { tempDir } from '../support/temp-dir';

const GPU_ENV = resolve(__dirname, '../fixtures/objectives/gpu-env.mjs');

const config = (name: string, gpu: number) => moduleExperiment(name, GPU_ENV, { seed: 4, maxTrials: 10, parallelism: 4, resources: { gpu } });

type Metrics = { cuda: number; worker_pid: number; started: number; ended: number };
const metricsOf = (t: TrialRow) => (t as TrialRow & { metrics: Metrics }).metrics;

describeFleet('GPU slots: hpo worker --gpus runs one process per GPU, and trials asking for a GPU go only there', () => {
  const tmp = tempDir('hpo-fleet-gpu-');
  const queue = queuePrefix();
  let db: TestTarget;
  let service: Awaited<ReturnType<typeof queueService>>;
  let cpuWorker: WorkerProcess;
  let gpuWorker: WorkerProcess;
  // No GPU or native binding installs here: the probe is told which devices the machine has.
  const env = { HPO_QUEUE_PREFIX: queue.prefix, HPO_HOME: tmp.dir, HPO_GPU_DEVICES: '0,1', HPO_STOP_GRACE_SEC: '1' };

  beforeAll(async () => {
    db = await postgresTarget();
    service = await queueService((db.target as { url: string }).url, tmp.dir, env);
    const api = `http://127.0.0.1:${service.port}`;
    cpuWorker = await startWorkerProcess(['--api', api, '--slots', '2'], tmp.dir, env);
    gpuWorker = await startWorkerProcess(['--api', api, '--slots', '1', '--gpus', '0,1'], tmp.dir, env);
  }, 60_000);

  afterAll(async () => {
    await cpuWorker?.stop();
    if (gpuWorker) {
      // Its graceful stop ends its GPU slot processes too.
      gpuWorker.child.kill('SIGTERM');
      await new Promise((r) => gpuWorker.child.once('exit', r));
    }
    await service?.stop();
    await db?.drop();
    await queue.cleanup();
    tmp.cleanup();
  }, 30_000);

  it('runs gpu: 1 trials only in the GPU slot processes, each with its own CUDA_VISIBLE_DEVICES, one trial per GPU at a time', async () => {
    const id = await submit(service.port, config('gpu-trials', 1));
    expect(await finalState(service.port, id)).toBe('COMPLETE');
    const trials = await allTrials(service.port, id);
    expect(trials.filter((t) => t.state === 'COMPLETE')).toHaveLength(10);
    const ms = trials.map(metricsOf);
    expect(new Set(ms.map((m) => m.cuda))).toEqual(new Set([0, 1]));
    // Neither the CPU worker nor the GPU worker's own process ran any: its two slot processes did.
    const pids = new Set(ms.map((m) => m.worker_pid));
    expect(pids.size).toBe(2);
    expect(pids.has(cpuWorker.child.pid!) || pids.has(gpuWorker.child.pid!)).toBe(false);
    for (const device of [0, 1]) {
      const on = ms.filter((m) => m.cuda === device).sort((a, b) => a.started - b.started);
      for (let i = 1; i < on.length; i++) expect(on[i].started).toBeGreaterThanOrEqual(on[i - 1].ended);
    }
    const { workers } = await getJson<{ workers: { gpus: number[]; tags: string[] }[] }>(service.port, 'workers');
    expect(
      workers
        .filter((w) => w.tags.includes('gpu'))
        .map((w) => w.gpus[0])
        .sort(),
    ).toEqual([0, 1]);
  }, 120_000);

  it('runs trials that ask for no GPU outside the GPU slots', async () => {
    const id = await submit(service.port, config('cpu-trials', 0));
    expect(await finalState(service.port, id)).toBe('COMPLETE');
    const ms = (await allTrials(service.port, id)).map(metricsOf);
    expect(ms.every((m) => m.cuda === -1)).toBe(true);
    for (const m of ms) expect([cpuWorker.child.pid, gpuWorker.child.pid]).toContain(m.worker_pid);
  }, 120_000);

  it('refuses --gpus naming a device the probe does not see', () => {
    const run = hpo(['worker', '--queue', TEST_REDIS_URL, '--api', 'http://127.0.0.1:1', '--gpus', '0,3'], tmp.dir, env);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--gpus: --gpus 3: this machine has GPUs 0,1');
  });
});
