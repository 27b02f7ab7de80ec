import { configBaseDir, readConfigFile } from '../../config/config-loader';
import { PromotionOutcome, ServiceContext } from '../../context/service-context';
import { ProgressBar } from '../progress-bar';
import { CliIO, printJson } from '../cli-output';
import { DbOptions, EXIT, withContext } from '../cli-context';
import { printLeaderboard } from './leaderboard.command';
import { promotionLines } from './models.command';
import { LEADERBOARD_ROWS, leaderboardLimit } from '../option-parsing';
import { TrialRecord } from '../../trials/trial.types';

/** Options of `hpo run`. */
export interface RunOptions extends DbOptions {
  limit?: string;
}

/** Says what the config's `registry:` section did with the best trial. */
function printPromotion(io: CliIO, promotion: PromotionOutcome): void {
  if ('error' in promotion) io.err(`hpo: the best trial was not registered as ${promotion.model}: ${promotion.error}`);
  else promotionLines(promotion.result).forEach((line, i) => io.out(i === 0 ? `registered ${line}` : `  ${line}`));
}

/** Waits for an experiment in the foreground with a progress bar; Ctrl-C cancels it. Prints the leaderboard or one JSON document. */
export async function followExperiment(ctx: ServiceContext, io: CliIO, id: number, options: { json?: boolean; limit?: number }, progress?: ProgressBar): Promise<number> {
  const onSignal = (): void => {
    io.err('\nhpo: cancelling (press Ctrl-C again to quit at once)…');
    process.once('SIGINT', () => process.exit(130));
    void ctx.experiments.cancel(id).catch(() => undefined);
  };
  process.once('SIGINT', onSignal);
  try {
    const final = await ctx.experiments.waitFor(id);
    progress?.finish();
    const trials = (await ctx.experiments.trials(id, { sort: 'number', limit: 1_000_000 })).items;
    const allFailed = trials.length > 0 && trials.every((t) => t.state === 'FAILED');
    const promotion = ctx.takePromotion(id);
    if (options.json) {
      printJson(io, {
        experimentId: id, name: final.name, state: final.state, stopReason: final.stopReason, objective: final.spec.objective,
        trials: trials.map(({ number, state, params, metrics, value, lastStep, error, backend }) => ({ number, state, params, metrics, value, lastStep, error, backend })),
        ...(promotion ? { promotion } : {}),
      });
    } else {
      io.out(`experiment ${id} (${final.name}): ${final.state}, ${final.stopReason ?? ''}`);
      await printLeaderboard(ctx, io, id, { limit: options.limit ?? LEADERBOARD_ROWS.fallback });
      if (allFailed) io.err(`hpo: every trial failed; the first error was: ${trials[0].error}`);
      if (promotion) printPromotion(io, promotion);
    }
    return allFailed || final.state === 'FAILED' ? EXIT.failed : EXIT.ok;
  } finally {
    process.removeListener('SIGINT', onSignal);
  }
}

/** `hpo run FILE`: runs an experiment to its end on the embedded default and prints the leaderboard. */
export async function runCommand(file: string, options: RunOptions, io: CliIO): Promise<number> {
  const limit = leaderboardLimit(options.limit); // a bad flag is refused before the experiment runs, not after
  const raw = readConfigFile(file);
  let progress: ProgressBar | undefined;
  const onTrialFinished = (trial: TrialRecord): void => progress?.update(trial);
  return withContext(options, async (ctx) => {
    const record = await ctx.experiments.create(raw, configBaseDir(file));
    if (!options.json || io.interactive) progress = new ProgressBar(io, record.spec.budget.maxTrials, record.spec.objective.metric, record.spec.objective.direction);
    io.err(`hpo: experiment ${record.id} (${record.name}) started; records in ${ctx.settings.db}`);
    return followExperiment(ctx, io, record.id, { json: options.json, limit }, progress);
  }, { hooks: { onTrialFinished }, creates: true });
}
