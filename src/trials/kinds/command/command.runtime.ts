import { spawn } from 'node:child_process';
import { TrialRuntime } from '../runtime.types';
import { Metrics } from '../../../models/metrics/metrics.types';
import { CommandTrialConfig } from './command.config';
import { paramEnvName, parseReportLine, substituteArgs } from './command-protocol';
import { signalGroup, watchGroupMemory } from './process-group';

/** How many characters of a failed command's stderr are kept in the trial's error. */
const STDERR_TAIL = 2_000;

/** After asking a pruned command to stop (SIGTERM), its group is killed if it has not ended within this. */
const PRUNE_GRACE_MS = 2_000;

/** After the command exits, its output pipes are closed by hand if still open after this. */
const PIPE_CLOSE_MS = 1_000;

/**
 * Runs a user's command with the parameters substituted into its arguments and environment. The last
 * value reported for each metric is final; exit code 0 is success. The command runs in a process
 * group of its own, and the whole group is ended when the trial ends however it ends (success,
 * timeout, cancel, prune), so no child it started outlives its trial; the group's resident memory
 * is held to the trial's bound, past which the group is killed and the trial fails `out of memory`.
 */
export const commandRuntime: TrialRuntime<CommandTrialConfig> = {
  kind: 'command',
  run(spec, params, ctx) {
    const [program, ...args] = substituteArgs(spec.command, params);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...spec.env,
      HPO_TRIAL_ID: String(ctx.trialId),
      HPO_TRIAL_NUMBER: String(ctx.trialNumber),
      HPO_SEED: String(ctx.seed),
      HPO_ARTIFACT_DIR: ctx.artifactDir,
    };
    for (const [name, value] of Object.entries(params)) env[paramEnvName(name)] = String(value);
    return new Promise((resolve, reject) => {
      const child = spawn(program, args, { cwd: spec.cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      const pgid = child.pid;
      let outOfMemory: string | undefined;
      const stopWatching =
        pgid === undefined
          ? () => undefined
          : watchGroupMemory(pgid, ctx.memoryMb * 1024 * 1024, (bytes) => {
              outOfMemory = `out of memory: the command's processes reached ${Math.round(bytes / 1024 / 1024)} MB, past the trial's ${ctx.memoryMb} MB bound`;
              signalGroup(pgid, 'SIGKILL');
            });
      const endGroup = (signal: NodeJS.Signals): void => {
        if (pgid !== undefined) signalGroup(pgid, signal);
      };
      const final: Metrics = {};
      let reports = Promise.resolve();
      let pruned = false;
      let stderr = '';
      let buffered = '';
      const onLine = (line: string): void => {
        const parsed = parseReportLine(line.trim());
        if (!parsed) return;
        Object.assign(final, parsed.metrics);
        if (parsed.step === undefined) return;
        const step = parsed.step;
        reports = reports.then(async () => {
          await ctx.report(step, parsed.metrics);
          if (ctx.shouldPrune() && !pruned) {
            pruned = true;
            endGroup('SIGTERM');
            setTimeout(() => endGroup('SIGKILL'), PRUNE_GRACE_MS).unref();
          }
        });
      };
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        lines.forEach(onLine);
      });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-STDERR_TAIL)));
      const onAbort = (): void => endGroup('SIGKILL');
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      child.on('error', (error) => reject(new Error(`could not start ${program}: ${error.message}`)));
      // On exit the group ends, which closes the pipes its children held; a process that escaped the
      // group could still hold them, so they are closed by hand if they stay open.
      child.on('exit', () => {
        stopWatching();
        endGroup('SIGKILL');
        setTimeout(() => {
          child.stdout.destroy();
          child.stderr.destroy();
        }, PIPE_CLOSE_MS).unref();
      });
      child.on('close', async (code, signal) => {
        ctx.signal.removeEventListener('abort', onAbort);
        stopWatching();
        if (outOfMemory) return reject(new Error(outOfMemory));
        if (buffered) onLine(buffered);
        await reports.catch(() => undefined);
        if (pruned) return resolve({ metrics: final, pruned: true });
        if (ctx.signal.aborted) return reject(new Error('aborted'));
        if (code === 0) return resolve({ metrics: final });
        reject(new Error(`command exited with ${code === null ? `signal ${signal}` : `code ${code}`}${stderr ? `: ${stderr.trim()}` : ''}`));
      });
    });
  },
};
