import { EXPERIMENT_STATES, ExperimentState, TRIAL_STATES, TrialState } from '../../trials/trial.types';
import { BadRequestError } from '../../domain/errors';
import { CliIO, fmt, paramsText, printJson, table } from '../cli-output';
import { auditLocal, DbOptions, EXIT, resolveExperimentId, withContext } from '../cli-context';
import { followExperiment } from './run.command';
import { integerOption, optionalInteger, positiveNumber } from '../option-parsing';
import { BudgetChange } from '../../trials/experiment.service';
import { TrialView } from '../../trials/views';
import { CONFIG_LIMITS } from '../../config/defaults';
import { testScoreLine } from '../test-score-text';
import { ProgressBar } from '../progress-bar';

function checkState<T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw new BadRequestError([{ path: flag, message: `must be one of ${allowed.join(', ')}` }]);
  return value as T;
}

/** `hpo experiments`: lists experiments, newest first. */
export function listExperimentsCommand(options: DbOptions & { state?: string; limit?: string }, io: CliIO): Promise<number> {
  return withContext(options, async (ctx) => {
    const page = await ctx.experiments.list({
      state: checkState<ExperimentState>(options.state, EXPERIMENT_STATES, '--state'),
      limit: integerOption(options.limit, '--limit', 50, 1, 1000),
      offset: 0,
    });
    if (options.json) printJson(io, page);
    else
      io.out(
        table(
          ['id', 'name', 'state', 'algorithm', 'objective', 'created'],
          page.items.map((e) => [e.id, e.name, e.state, e.algorithm, `${e.objective.direction} ${e.objective.metric}`, e.createdAt]),
        ),
      );
    return EXIT.ok;
  });
}

/** `hpo show EXPERIMENT`: state, counts and best trial. */
export function showExperimentCommand(experiment: string, options: DbOptions, io: CliIO): Promise<number> {
  return withContext(options, async (ctx) => {
    const view = await ctx.experiments.get(await resolveExperimentId(ctx, experiment));
    if (options.json) printJson(io, view);
    else {
      io.out(`experiment ${view.id} (${view.name}): ${view.state}${view.stopReason ? `, ${view.stopReason}` : ''}`);
      io.out(
        `trials: ${Object.entries(view.trialCounts ?? {})
          .map(([s, n]) => `${s} ${n}`)
          .join(', ')}`,
      );
      if (view.bestTrial)
        io.out(`best: trial ${view.bestTrial.number}, ${view.objective.metric}=${fmt(view.bestTrial.value)}, ${paramsText(view.bestTrial.params)}`);
      const test = testScoreLine(view.testScore);
      if (test) io.out(test);
    }
    return EXIT.ok;
  });
}

/** Where a trial's parameters came from, in a word or three: the sampler, a user's queue, or an earlier trial run again. */
function trialOrigin(t: TrialView): string {
  const repeat = t.repeatOf === null ? '' : `${t.repeatReason === 'retry' ? 'retry' : 'rerun'} of ${t.repeatOf}`;
  if (t.enqueued) return repeat ? `enqueued, ${repeat}` : 'enqueued';
  return repeat || 'sampler';
}

/** `hpo trials EXPERIMENT`: the trials of an experiment. */
export function listTrialsCommand(
  experiment: string,
  options: DbOptions & { state?: string; sort?: string; limit?: string; cursor?: string },
  io: CliIO,
): Promise<number> {
  return withContext(options, async (ctx) => {
    const id = await resolveExperimentId(ctx, experiment);
    const sort = checkState(options.sort, ['number', 'objective'] as const, '--sort') ?? 'number';
    const query = {
      state: checkState<TrialState>(options.state, TRIAL_STATES, '--state'),
      sort,
      limit: integerOption(options.limit, '--limit', 1000, 1, 1_000_000),
    };
    const page = await ctx.experiments.trials(id, { ...query, ...(options.cursor ? { cursor: options.cursor } : {}) }).catch((error: unknown) => {
      // The service names REST's parameter; here it is a flag.
      if (error instanceof BadRequestError) throw new BadRequestError(error.problems.map((p) => (p.path === 'query.cursor' ? { ...p, path: '--cursor' } : p)));
      throw error;
    });
    if (options.json) printJson(io, page);
    else {
      io.out(
        table(
          ['trial', 'state', 'value', 'step', 'from', 'params', 'error'],
          page.items.map((t) => [t.number, t.state, t.value, t.lastStep, trialOrigin(t), paramsText(t.params), t.error ?? '']),
        ),
      );
      if (page.nextCursor) io.out(`(more: --cursor ${page.nextCursor})`);
    }
    return EXIT.ok;
  });
}

/** `hpo trial EXPERIMENT NUMBER`: one trial with its curve. */
export function showTrialCommand(experiment: string, number: string, options: DbOptions, io: CliIO): Promise<number> {
  return withContext(options, async (ctx) => {
    const detail = await ctx.experiments.trial(await resolveExperimentId(ctx, experiment), optionalInteger(number, 'NUMBER')!);
    printJson(io, detail);
    return EXIT.ok;
  });
}

/** `hpo cancel EXPERIMENT`: marks an experiment the embedded database holds as RUNNING as cancelled. */
export function cancelCommand(experiment: string, options: DbOptions, io: CliIO): Promise<number> {
  return withContext(options, async (ctx) => {
    const view = await ctx.experiments.cancel(await resolveExperimentId(ctx, experiment));
    await auditLocal(ctx, 'cancel', `experiment ${view.id}`);
    if (options.json) printJson(io, view);
    else io.out(`experiment ${view.id}: ${view.state}`);
    return EXIT.ok;
  });
}

/** `hpo resume EXPERIMENT`: continues an experiment in the foreground (interrupted trials run again). */
export function resumeCommand(experiment: string, options: DbOptions & { maxTrials?: string }, io: CliIO): Promise<number> {
  return withContext(options, async (ctx) => {
    const id = await resolveExperimentId(ctx, experiment);
    const maxTrials = optionalInteger(options.maxTrials, '--max-trials', 1, CONFIG_LIMITS.maxTrials);
    const view = await ctx.experiments.resume(id, maxTrials !== undefined ? { maxTrials } : {});
    await auditLocal(ctx, 'resume', `experiment ${id}`, maxTrials !== undefined ? { maxTrials } : null);
    const done = Object.entries(view.trialCounts ?? {})
      .filter(([s]) => s !== 'RUNNING' && s !== 'WAITING')
      .reduce((n, [, c]) => n + c, 0);
    io.err(`hpo: resuming experiment ${id} (${view.name}), ${done} trials finished so far`);
    const progress =
      !options.json || io.interactive ? new ProgressBar(io, view.spec!.budget.maxTrials, view.objective.metric, view.objective.direction) : undefined;
    return followExperiment(ctx, io, id, options, progress);
  });
}

/** Options of `hpo update`. */
export interface UpdateOptions extends DbOptions {
  maxTrials?: string;
  parallelism?: string;
  maxFailedTrials?: string;
  trialTimeoutSec?: string;
}

/** `hpo update EXPERIMENT`: changes a running experiment's budget live (whichever process runs it follows within a second). */
export function updateCommand(experiment: string, options: UpdateOptions, io: CliIO): Promise<number> {
  const change: BudgetChange = {
    ...(options.maxTrials !== undefined ? { maxTrials: optionalInteger(options.maxTrials, '--max-trials', 1, CONFIG_LIMITS.maxTrials) } : {}),
    ...(options.parallelism !== undefined ? { parallelism: optionalInteger(options.parallelism, '--parallelism', 1, CONFIG_LIMITS.parallelism) } : {}),
    ...(options.maxFailedTrials !== undefined ? { maxFailedTrials: optionalInteger(options.maxFailedTrials, '--max-failed-trials', 1) } : {}),
    ...(options.trialTimeoutSec !== undefined
      ? { trialTimeoutSec: positiveNumber(options.trialTimeoutSec, '--trial-timeout-sec', CONFIG_LIMITS.trialTimeoutSec) }
      : {}),
  };
  if (Object.keys(change).length === 0)
    throw new BadRequestError([{ path: 'options', message: 'give at least one of --max-trials, --parallelism, --max-failed-trials, --trial-timeout-sec' }]);
  return withContext(options, async (ctx) => {
    const view = await ctx.experiments.update(await resolveExperimentId(ctx, experiment), change);
    await auditLocal(ctx, 'update', `experiment ${view.id}`, { ...change });
    if (options.json) printJson(io, view);
    else
      io.out(
        `experiment ${view.id}: ${Object.entries(change)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
      );
    return EXIT.ok;
  });
}

/** Options of `hpo enqueue`. */
export interface EnqueueOptions extends DbOptions {
  params?: string;
  json?: boolean;
}

/** `hpo enqueue EXPERIMENT --params JSON`: queues parameters to run next, as `POST /api/experiments/:id/trials`. */
export function enqueueCommand(experiment: string, options: EnqueueOptions, io: CliIO): Promise<number> {
  let params: unknown;
  try {
    params = JSON.parse(options.params ?? '');
  } catch {
    throw new BadRequestError([{ path: '--params', message: 'must be a JSON object of parameter values, e.g. \'{"learning_rate": 0.01}\'' }]);
  }
  if (typeof params !== 'object' || params === null || Array.isArray(params))
    throw new BadRequestError([{ path: '--params', message: 'must be a JSON object of parameter values' }]);
  return withContext(options, async (ctx) => {
    const id = await resolveExperimentId(ctx, experiment);
    const trial = await ctx.experiments.enqueue(id, params as Record<string, string | number | boolean>);
    await auditLocal(ctx, 'enqueue', `experiment ${id}`, { ...params });
    if (options.json) printJson(io, trial);
    else io.out(`trial ${trial.number} queued: ${paramsText(trial.params)}`);
    return EXIT.ok;
  });
}
