import { spawn } from 'node:child_process';
import { CommandTrialConfig } from '../../config/experiment-spec.types';
import { Params } from '../../search/space/space.types';
import { Metrics, TrialRuntime } from './runtime.types';

/** Lines a command prints to report metrics start with this, followed by a JSON object. */
export const COMMAND_REPORT_PREFIX = 'hpo: ';

/** How many characters of a failed command's stderr are kept in the trial's error. */
const STDERR_TAIL = 2_000;

/** `HPO_PARAM_<NAME>`: upper case, other characters as `_`. */
export function paramEnvName(name: string): string {
  return `HPO_PARAM_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** A `{name}` placeholder in a command argument; the name is group 1. */
const PLACEHOLDER = /\{([A-Za-z0-9_-]+)\}/g;

/** The parameter names an argument's placeholders refer to, in order. */
export function placeholderNames(arg: string): string[] {
  return [...arg.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

/** Replaces `{name}` in each argument by the parameter's value; unknown names are left as they are. */
export function substituteArgs(args: readonly string[], params: Params): string[] {
  return args.map((a) => a.replace(PLACEHOLDER, (whole, name: string) => (params[name] === undefined ? whole : String(params[name]))));
}

/** Parses one stdout line; undefined if it is not a report. Non-numeric fields other than `step` are ignored. */
export function parseReportLine(line: string): { step?: number; metrics: Metrics } | undefined {
  if (!line.startsWith(COMMAND_REPORT_PREFIX)) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(line.slice(COMMAND_REPORT_PREFIX.length));
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const metrics: Metrics = {};
  let step: number | undefined;
  for (const [k, v] of Object.entries(body)) {
    if (k === 'step' && typeof v === 'number') step = v;
    else if (typeof v === 'number') metrics[k] = v;
  }
  return { step, metrics };
}

/**
 * Runs a user's command with the parameters substituted into its arguments and environment. The last
 * value reported for each metric is final; exit code 0 is success.
 */
export const commandRuntime: TrialRuntime<CommandTrialConfig> = {
  kind: 'command',
  run(spec, params, ctx) {
    const [program, ...args] = substituteArgs(spec.command, params);
    const env: NodeJS.ProcessEnv = { ...process.env, ...spec.env, HPO_TRIAL_ID: String(ctx.trialId), HPO_TRIAL_NUMBER: String(ctx.trialNumber), HPO_SEED: String(ctx.seed), HPO_ARTIFACT_DIR: ctx.artifactDir };
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
