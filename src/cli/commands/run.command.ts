import { configBaseDir, readConfigFile } from '../../config/config-loader';
import { CONFIG_LIMITS } from '../../config/defaults';
import { ServiceContext } from '../../context/service-context';
import { PromotionOutcome } from '../../registry/ports/promotion-source.port';
import { PromotionResult } from '../../registry/promotion.service';
import { CliIO, printJson } from '../cli-output';
import { DbOptions, EXIT, withContext } from '../cli-context';
import { LEADERBOARD_ROWS, leaderboardLimit } from '../option-parsing';
import { ProgressBar } from '../progress-bar';
import { printLeaderboard } from './leaderboard.command';
import { promotionLines } from './models.command';
import { testScoreLine } from '../test-score-text';

/** Options of `hpo run`. */
export interface RunOptions extends DbOptions {
  limit?: string;
}

/** A stored promotion outcome with the version it made, read back from the registry, in the shape `--json` prints. */
async function promotionReport(
  ctx: ServiceContext,
  outcome: PromotionOutcome,
): Promise<{ model: string; result: PromotionResult } | { model: string; error: string }> {
  if ('error' in outcome) return outcome;
  const version = await ctx.registry.version(outcome.model, outcome.version);
  return {
    model: outcome.model,
    result: { version, ...(outcome.alreadyRegistered ? { alreadyRegistered: true } : {}), ...(outcome.alias ? { alias: outcome.alias } : {}) },
  };
}

/**
 * Waits for an experiment in the foreground; Ctrl-C cancels it. Prints the leaderboard and what
 * the `registry:` section did (or one JSON document). Exit code: 0 complete, 1 failed, 130 cancelled
 * (by Ctrl-C or by `hpo cancel` from elsewhere, whenever it happened).
 */
export async function followExperiment(
  ctx: ServiceContext,
  io: CliIO,
  id: number,
  options: { json?: boolean; limit?: number },
  progress?: ProgressBar,
): Promise<number> {
  const onSignal = (): void => {
    io.err('\nhpo: cancelling (press Ctrl-C again to quit at once)…');
    process.once('SIGINT', () => process.exit(EXIT.cancelled));
    void ctx.experiments.cancel(id).catch(() => undefined);
  };
  process.once('SIGINT', onSignal);
  const stopListening = progress
    ? ctx.experiments.events.on('trialFinished', ({ trial, experiment }) => void (experiment.id === id && progress.update(trial)))
    : () => undefined;
  try {
    const final = await ctx.experiments.waitFor(id);
    progress?.finish();
    // Every trial is read only for --json, which prints them all; the table needs the counts alone.
    const trials = options.json ? (await ctx.experiments.trials(id, { sort: 'number', limit: CONFIG_LIMITS.maxTrials })).items : [];
    const view = await ctx.experiments.get(id);
    const counts = view.trialCounts!;
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const allFailed = final.state !== 'CANCELLED' && total > 0 && counts.FAILED === total;
    const stored = await ctx.promotions.outcomeOf(id);
    const promotion = stored && (await promotionReport(ctx, stored));
    if (options.json) {
      printJson(io, {
        experimentId: id,
        name: final.name,
        state: final.state,
        stopReason: final.stopReason,
        objective: final.spec.objective,
        trials: trials.map(({ number, state, params, metrics, value, lastStep, error, backend }) => ({
          number,
          state,
          params,
          metrics,
          value,
          lastStep,
          error,
          backend,
        })),
        ...(promotion ? { promotion } : {}),
        ...(view.testScore ? { testScore: view.testScore } : {}),
      });
    } else {
      io.out(`experiment ${id} (${final.name}): ${final.state}, ${final.stopReason ?? ''}`);
      await printLeaderboard(ctx, io, id, { limit: options.limit ?? LEADERBOARD_ROWS.fallback });
      if (allFailed) io.err(`hpo: every trial failed; the first error was: ${(await ctx.experiments.trial(id, 1)).error}`);
      if (promotion && 'error' in promotion) io.err(`hpo: the best trial was not registered as ${promotion.model}: ${promotion.error}`);
      else if (promotion) promotionLines(promotion.result).forEach((line, i) => io.out(i === 0 ? `registered ${line}` : `  ${line}`));
      const test = testScoreLine(view.testScore);
      if (test) io.out(test);
    }
    if (final.state === 'CANCELLED') return EXIT.cancelled;
    return allFailed || final.state === 'FAILED' ? EXIT.failed : EXIT.ok;
  } finally {
    stopListening();
    process.removeListener('SIGINT', onSignal);
  }
}

/** `hpo run FILE`: runs an experiment to its end on the embedded default and prints the leaderboard. */
export async function runCommand(file: string, options: RunOptions, io: CliIO): Promise<number> {
  const limit = leaderboardLimit(options.limit); // a bad flag is refused before the experiment runs, not after
  const raw = readConfigFile(file);
  return withContext(
    options,
    async (ctx) => {
      const record = await ctx.experiments.create(raw, configBaseDir(file));
      const progress =
        !options.json || io.interactive
          ? new ProgressBar(io, record.spec.budget.maxTrials, record.spec.objective.metric, record.spec.objective.direction)
          : undefined;
      io.err(`hpo: experiment ${record.id} (${record.name}) started; records in ${ctx.settings.db}`);
      for (const notice of record.notices) io.err(`hpo: ${notice}`);
      return followExperiment(ctx, io, record.id, { json: options.json, limit }, progress);
    },
    { creates: true },
  );
}
