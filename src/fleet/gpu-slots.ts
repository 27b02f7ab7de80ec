import { ChildProcess, spawn, spawnSync } from 'node:child_process';

/** The GPU device numbers this machine has, or undefined when it cannot tell. */
export type GpuProbe = () => number[] | undefined;

/**
 * Asks `nvidia-smi` for the devices. `HPO_GPU_DEVICES` (such as `0,1`) answers instead: on a
 * machine where the probe cannot run, and in tests, where no GPU or native binding is installed.
 */
export function defaultGpuProbe(env: NodeJS.ProcessEnv = process.env): GpuProbe {
  return () => {
    if (env.HPO_GPU_DEVICES !== undefined) return env.HPO_GPU_DEVICES.split(',').filter(Boolean).map(Number);
    const smi = spawnSync('nvidia-smi', ['--query-gpu=index', '--format=csv,noheader'], { encoding: 'utf8', timeout: 5_000 });
    if (smi.status !== 0 || smi.error) return undefined;
    return smi.stdout
      .split('\n')
      .filter((l) => l.trim())
      .map(Number);
  };
}

/** Why the requested devices cannot be used (a device the probe does not see), or undefined when they can. */
export function gpuProblem(requested: readonly number[], probe: GpuProbe): string | undefined {
  if (requested.length === 0) return undefined;
  if (new Set(requested).size !== requested.length) return `--gpus names a device twice: ${requested.join(',')}`;
  const present = probe();
  if (present === undefined) return undefined;
  const missing = requested.filter((g) => !present.includes(g));
  if (missing.length) return `--gpus ${missing.join(',')}: this machine has GPUs ${present.join(',') || 'none'}`;
  return undefined;
}

/** The first wait before a GPU slot process that died is started again; it doubles up to 30 s. */
export const SLOT_RESTART_MS = 1_000;

/**
 * One child worker process per GPU, each with `CUDA_VISIBLE_DEVICES` set to its device and one slot,
 * taking trials from the GPU queue: a native TensorFlow.js binding loads in one thread per process
 * (tfjs #8388, #2079), so a process per device is how several GPUs train at once. A child that dies is
 * started again (after 1 s, doubling); a stop sends each SIGTERM, which is its own graceful stop.
 */
export class GpuSlots {
  private readonly children = new Map<number, ChildProcess>();
  private stopping = false;

  constructor(
    private readonly gpus: readonly number[],
    private readonly command: (gpu: number) => { file: string; args: string[]; env: NodeJS.ProcessEnv },
    private readonly log: (line: string) => void,
  ) {}

  /** Starts every slot process. */
  start(): void {
    for (const gpu of this.gpus) this.launch(gpu, SLOT_RESTART_MS);
  }

  /** The child of each device now. */
  pids(): Record<number, number | undefined> {
    return Object.fromEntries(this.gpus.map((g) => [g, this.children.get(g)?.pid]));
  }

  private launch(gpu: number, delay: number): void {
    const { file, args, env } = this.command(gpu);
    const child = spawn(file, args, { env: { ...env, CUDA_VISIBLE_DEVICES: String(gpu) }, stdio: ['ignore', 'inherit', 'inherit'] });
    const startedAt = Date.now();
    this.children.set(gpu, child);
    child.once('exit', (code, signal) => {
      this.children.delete(gpu);
      if (this.stopping) return;
      // A slot that ran a while is restarted at once-ish; one that keeps dying at start waits longer each time.
      const next = Date.now() - startedAt > 60_000 ? SLOT_RESTART_MS : Math.min(delay * 2, 30_000);
      this.log(`hpo: GPU ${gpu} slot process ended (${signal ?? `exit ${code}`}); starting it again in ${delay / 1000} s`);
      setTimeout(() => !this.stopping && this.launch(gpu, next), delay).unref();
    });
  }

  /** Stops every slot process gracefully; resolves when all have exited. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(
      [...this.children.values()].map(
        (c) =>
          new Promise<void>((done) => {
            if (c.exitCode !== null || c.signalCode !== null) return done();
            c.once('exit', () => done());
            c.kill('SIGTERM');
          }),
      ),
    );
  }
}
