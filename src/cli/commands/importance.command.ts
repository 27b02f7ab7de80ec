import { Command } from 'commander';
import { BadRequestError } from '../../domain/errors';
import { IMPORTANCE_METHODS, ImportanceMethod } from '../../search/importance/importance.types';
import { CliIO, printJson, table } from '../cli-output';
import { DB_HELP, DbOptions, EXIT, resolveExperimentId, withContext } from '../cli-context';
import { Act } from './models.command';

/** Options of `hpo importance`. */
export interface ImportanceOptions extends DbOptions {
  method?: string;
}

/** `hpo importance EXPERIMENT [--method ped-anova|fanova]`: which parameters matter, as `GET /api/experiments/:id/importance`. */
export function importanceCommand(experiment: string, options: ImportanceOptions, io: CliIO): Promise<number> {
  const method = options.method ?? 'ped-anova';
  if (!IMPORTANCE_METHODS.includes(method as ImportanceMethod))
    throw new BadRequestError([{ path: '--method', message: `must be one of ${IMPORTANCE_METHODS.join(', ')}` }]);
  return withContext(options, async (ctx) => {
    const result = await ctx.importance.importance(await resolveExperimentId(ctx, experiment), method as ImportanceMethod);
    if (options.json) printJson(io, result);
    else {
      io.out(`parameter importance by ${result.method} over ${result.trials} complete trials (${result.metric}, ${result.direction})`);
      io.out(
        table(
          ['parameter', 'importance', 'active in'],
          result.params.map((p) => [p.name, p.importance.toFixed(3), p.activeTrials]),
        ),
      );
    }
    return EXIT.ok;
  });
}

/** Adds `importance` to the `hpo` program. */
export function addImportanceCommand(program: Command, act: Act, io: CliIO): void {
  program
    .command('importance')
    .argument('<experiment>', 'id or name')
    .description('which parameters matter most to the objective (PED-ANOVA, or fANOVA on a random forest)')
    .option('--db <target>', DB_HELP)
    .option('--method <m>', IMPORTANCE_METHODS.join(' | '), 'ped-anova')
    .option('--json', 'print one JSON document')
    .action(act((e: string, o) => importanceCommand(e, o, io)));
}
