import { ServiceContext } from '../../context/service-context';
import { CliIO, paramsText, printJson, table } from '../cli-output';
import { DbOptions, EXIT, resolveExperimentId, withContext } from '../cli-context';
import { leaderboardLimit } from '../option-parsing';
import { BadRequestError } from '../../domain/errors';
import { Direction } from '../../search/history.types';

/** Prints an experiment's leaderboard as a table; with several objectives, unless ranked by a metric, its Pareto front. */
export async function printLeaderboard(
  ctx: ServiceContext,
  io: CliIO,
  id: number,
  options: { limit: number; metric?: string; includePruned?: boolean },
): Promise<void> {
  const board = await ctx.experiments.leaderboard(id, options);
  if ((await ctx.experiments.require(id)).spec.objectives && options.metric === undefined) return printParetoFront(ctx, io, id);
  // The test column appears once a trial has been scored on the held-out rows (dataset.test).
  const test = board.complete.some((r) => r.testMetrics) ? board.metric.replace(/^val_/, 'test_') : undefined;
  const rows = (list: typeof board.complete) =>
    list.map((r) => [r.rank, r.trial.number, r.value, ...(test ? [r.testMetrics?.[test] ?? '-'] : []), r.trial.lastStep, paramsText(r.trial.params)]);
  io.out(`leaderboard by ${board.metric} (${board.direction})`);
  io.out(
    board.complete.length ? table(['rank', 'trial', board.metric, ...(test ? [test] : []), 'step', 'params'], rows(board.complete)) : '(no complete trials)',
  );
  if (board.pruned?.length) {
    io.out(`\npruned trials, by their last ${board.metric}`);
    io.out(table(['rank', 'trial', board.metric, 'step', 'params'], rows(board.pruned)));
  }
}

/** Options of `hpo leaderboard`. */
export interface LeaderboardOptions extends DbOptions {
  limit?: string;
  metric?: string;
  pruned?: boolean;
  pareto?: boolean;
  reference?: string;
  dataset?: string;
  direction?: string;
}

/** `hpo leaderboard --metric M`: the best complete trials across experiments, as `GET /api/leaderboard`. */
function globalLeaderboardCommand(options: LeaderboardOptions, io: CliIO): Promise<number> {
  if (!options.metric)
    throw new BadRequestError([{ path: '--metric', message: 'is required without an experiment: the final metric to rank trials across experiments by' }]);
  if (options.pruned) throw new BadRequestError([{ path: '--pruned', message: 'goes with an experiment: across experiments only complete trials are ranked' }]);
  if (options.pareto) throw new BadRequestError([{ path: '--pareto', message: 'goes with an experiment: a Pareto front is of one experiment' }]);
  if (options.direction !== undefined && options.direction !== 'minimize' && options.direction !== 'maximize')
    throw new BadRequestError([{ path: '--direction', message: 'must be minimize or maximize' }]);
  const query = {
    metric: options.metric,
    limit: leaderboardLimit(options.limit),
    ...(options.dataset ? { dataset: options.dataset } : {}),
    ...(options.direction ? { direction: options.direction as Direction } : {}),
  };
  return withContext(options, async (ctx) => {
    const board = await ctx.experiments.globalLeaderboard(query);
    if (options.json) printJson(io, board);
    else {
      io.out(`leaderboard across experiments by ${board.metric} (${board.direction})${options.dataset ? ` on ${options.dataset}` : ''}`);
      io.out(
        board.rows.length
          ? table(
              ['rank', 'experiment', 'trial', board.metric, 'params'],
              board.rows.map((r) => [r.rank, `${r.experimentId} ${r.experimentName ?? ''}`.trim(), r.trial.number, r.value, paramsText(r.trial.params)]),
            )
          : '(no complete trials report this metric)',
      );
    }
    return EXIT.ok;
  });
}

/** `hpo leaderboard EXPERIMENT --pareto [--reference a,b]`: the Pareto front and its hypervolume, as `GET …/leaderboard?pareto=true`. */
function paretoCommand(experiment: string, options: LeaderboardOptions, io: CliIO): Promise<number> {
  for (const flag of ['metric', 'pruned'] as const)
    if (options[flag] !== undefined) throw new BadRequestError([{ path: `--${flag}`, message: 'ranks by one metric: leave out --pareto to use it' }]);
  const reference = options.reference?.split(',').map(Number);
  if (reference?.some((v) => !Number.isFinite(v)))
    throw new BadRequestError([{ path: '--reference', message: 'must be numbers separated by commas, one per objective (e.g. 11,11)' }]);
  return withContext(options, async (ctx) => {
    const id = await resolveExperimentId(ctx, experiment);
    if (options.json) printJson(io, { experimentId: id, ...(await ctx.experiments.paretoFront(id, reference)) });
    else await printParetoFront(ctx, io, id, reference);
    return EXIT.ok;
  });
}

/** Prints an experiment's Pareto front and its hypervolume. */
export async function printParetoFront(ctx: ServiceContext, io: CliIO, id: number, reference?: number[]): Promise<void> {
  const front = await ctx.experiments.paretoFront(id, reference);
  const names = front.objectives.map((o) => `${o.metric} (${o.direction})`);
  io.out(`Pareto front of ${front.objectives.map((o) => o.metric).join(' and ')}: ${front.front.length} of ${front.feasible} feasible complete trials`);
  io.out(
    front.front.length
      ? table(
          ['trial', ...names, 'params'],
          front.front.map((r) => [r.trial.number, ...r.values, paramsText(r.trial.params)]),
        )
      : '(no complete trials with every objective)',
  );
  io.out(`hypervolume ${front.hypervolume} against (${front.reference.join(', ')})${front.referenceGiven ? '' : ' (derived: a margin past the worst values)'}`);
}

/** `hpo leaderboard [EXPERIMENT]`: the best trials of one experiment (by id or name), or across experiments without one. */
export function leaderboardCommand(experiment: string | undefined, options: LeaderboardOptions, io: CliIO): Promise<number> {
  if (experiment === undefined) return globalLeaderboardCommand(options, io);
  for (const flag of ['dataset', 'direction'] as const) {
    if (options[flag] !== undefined)
      throw new BadRequestError([{ path: `--${flag}`, message: 'ranks across experiments: leave out the experiment to use it' }]);
  }
  if (options.pareto) return paretoCommand(experiment, options, io);
  if (options.reference !== undefined) throw new BadRequestError([{ path: '--reference', message: 'goes with --pareto' }]);
  return withContext(options, async (ctx) => {
    const id = await resolveExperimentId(ctx, experiment);
    const query = { limit: leaderboardLimit(options.limit), metric: options.metric, includePruned: Boolean(options.pruned) };
    if (options.json) printJson(io, { experimentId: id, ...(await ctx.experiments.leaderboard(id, query)) });
    else await printLeaderboard(ctx, io, id, query);
    return EXIT.ok;
  });
}
