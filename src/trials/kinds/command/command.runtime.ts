import { spawn } from 'node:child_process';
import { TrialRuntime } from '../runtime.types';
import { Metrics } from '../../../models/metrics/metrics.types';
import { CommandTrialConfig } from './command.config';
import { paramEnvName, parseReportLine, substituteArgs } from './command-protocol';

/** How many characters of a failed command's stderr are kept in the trial's error. */
const STDERR_TAIL = 2_000;

/**
 * Runs a user's command with the parameters substituted into its arguments and environment. The last
 * value reported for each metric is final; exit code 0 is success.
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
      const child = spawn(program, args, { cwd: spec.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
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
            child.kill('SIGTERM');
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
      const onAbort = (): void => void child.kill('SIGKILL');
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      child.on('error', (error) => reject(new Error(`could not start ${program}: ${error.message}`)));
      child.on('close', async (code, signal) => {
        ctx.signal.removeEventListener('abort', onAbort);
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
