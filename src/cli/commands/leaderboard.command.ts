import { ServiceContext } from '../../context/service-context';
import { CliIO, paramsText, printJson, table } from '../cli-output';
import { DbOptions, EXIT, resolveExperimentId, withContext } from '../cli-context';
import { leaderboardLimit } from '../option-parsing';

/** Prints an experiment's leaderboard as a table. */
export async function printLeaderboard(ctx: ServiceContext, io: CliIO, id: number, options: { limit: number; metric?: string; includePruned?: boolean }): Promise<void> {
  const board = await ctx.experiments.leaderboard(id, options);
  const rows = (list: typeof board.complete) => list.map((r) => [r.rank, r.trial.number, r.value, r.trial.lastStep, paramsText(r.trial.params)]);
  io.out(`leaderboard by ${board.metric} (${board.direction})`);
  io.out(board.complete.length ? table(['rank', 'trial', board.metric, 'step', 'params'], rows(board.complete)) : '(no complete trials)');
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
}

/** `hpo leaderboard EXPERIMENT`: the best trials of one experiment (by id or name). */
export function leaderboardCommand(experiment: string, options: LeaderboardOptions, io: CliIO): Promise<number> {
  return withContext(options, async (ctx) => {
    const id = await resolveExperimentId(ctx, experiment);
    const query = { limit: leaderboardLimit(options.limit), metric: options.metric, includePruned: Boolean(options.pruned) };
    if (options.json) printJson(io, { experimentId: id, ...(await ctx.experiments.leaderboard(id, query)) });
    else await printLeaderboard(ctx, io, id, query);
    return EXIT.ok;
  });
}
