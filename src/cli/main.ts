import { Command, CommanderError } from 'commander';
import { CliIO, processIO } from './cli-output';
import { DB_HELP, EXIT, reportError } from './cli-context';
import {
  cancelCommand,
  listExperimentsCommand,
  listTrialsCommand,
  resumeCommand,
  showExperimentCommand,
  showTrialCommand,
  updateCommand,
  enqueueCommand,
} from './commands/experiments.command';
import { leaderboardCommand } from './commands/leaderboard.command';
import { addKeyCommands } from './commands/keys.command';
import { addImportanceCommand } from './commands/importance.command';
import { addModelCommands } from './commands/models.command';
import { addFleetCommands } from './commands/fleet.command';
import { runCommand } from './commands/run.command';
import { schemaCommand } from './commands/schema.command';
import { HttpFrontDoorFactory, serveCommand } from './commands/serve.command';
import { validateCommand } from './commands/validate.command';
import { serviceVersion } from '../config/service-version';
import { DEFAULT_PORT } from '../config/service-settings';

/** Builds the `hpo` program; each action stores its exit code in `result`. `http` starts the REST front door for `serve`. */
export function buildProgram(io: CliIO, result: { code: number }, http: HttpFrontDoorFactory): Command {
  const program = new Command('hpo')
    .description('Hyperparameter optimisation: run, record, rank, promote and serve models.')
    .version(serviceVersion(), '-V, --version', 'print the version')
    .enablePositionalOptions()
    .exitOverride();
  program.configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  const act =
    <A extends unknown[]>(fn: (...args: A) => Promise<number>) =>
    async (...args: A) => {
      try {
        result.code = await fn(...args);
      } catch (error) {
        result.code = reportError(io, error);
      }
    };
  program
    .command('run')
    .argument('<file>', 'experiment config (YAML or JSON)')
    .description('run an experiment to its end on the embedded default and print the leaderboard')
    .option('--db <target>', DB_HELP)
    .option('--limit <n>', 'leaderboard rows', '10')
    .option('--json', 'print one JSON document')
    .action(act((file: string, o) => runCommand(file, o, io)));
  program
    .command('validate')
    .argument('<file>')
    .description('check a config and list every problem by path')
    .option('--json', 'print one JSON document')
    .action(act((file: string, o) => validateCommand(file, o, io)));
  program
    .command('serve')
    .description('start the REST service (resumes interrupted experiments)')
    .option('--db <target>', DB_HELP)
    .option('--port <port>', `port (default ${DEFAULT_PORT}, or HPO_PORT)`)
    .option('--host <host>', 'address to listen on (default 127.0.0.1); any other than loopback needs an API key first')
    .option('--insecure-no-auth', 'serve without keys on a non-loopback address: anyone who reaches the port may do anything')
    .option('--queue <url>', 'put trials on this BullMQ queue (redis://host:6379) for hpo worker processes')
    .option('--workers <n>', 'with --queue: also run n worker slots in this process (default 0)')
    .option('--role <role>', 'all (default), or serving: predictions only, no experiments run or adopted here')
    .action(act((o) => serveCommand(o, io, http)));
  program
    .command('leaderboard')
    .argument('[experiment]', 'id or name; without it, the best trials across experiments (--metric required)')
    .description('best trials of an experiment, or across experiments')
    .option('--db <target>', DB_HELP)
    .option('--limit <n>', 'rows', '10')
    .option('--metric <name>', 'rank by another final metric')
    .option('--pruned', 'also list pruned trials, apart')
    .option('--pareto', 'the Pareto front of the objectives (and constraints), with its hypervolume')
    .option('--reference <values>', 'with --pareto: the hypervolume reference point, one number per objective (11,11)')
    .option('--dataset <file>', 'across experiments: only those on this dataset file name (iris.csv)')
    .option('--direction <d>', 'across experiments: minimize | maximize')
    .option('--json', 'print one JSON document')
    .action(act((e: string | undefined, o) => leaderboardCommand(e, o, io)));
  program
    .command('experiments')
    .description('list experiments')
    .option('--db <target>', DB_HELP)
    .option('--state <state>')
    .option('--limit <n>')
    .option('--json', 'print one JSON document')
    .action(act((o) => listExperimentsCommand(o, io)));
  program
    .command('show')
    .argument('<experiment>', 'id or name')
    .description('an experiment: state, counts, best trial')
    .option('--db <target>', DB_HELP)
    .option('--json', 'print one JSON document')
    .action(act((e: string, o) => showExperimentCommand(e, o, io)));
  program
    .command('trials')
    .argument('<experiment>', 'id or name')
    .description('trials of an experiment')
    .option('--db <target>', DB_HELP)
    .option('--state <state>')
    .option('--sort <order>', 'number | objective')
    .option('--limit <n>')
    .option('--cursor <c>', 'the nextCursor of the previous page')
    .option('--json', 'print one JSON document')
    .action(act((e: string, o) => listTrialsCommand(e, o, io)));
  program
    .command('trial')
    .argument('<experiment>', 'id or name')
    .argument('<number>')
    .description('one trial with its intermediate curve (JSON)')
    .option('--db <target>', DB_HELP)
    .option('--json', 'print one JSON document')
    .action(act((e: string, n: string, o) => showTrialCommand(e, n, o, io)));
  program
    .command('cancel')
    .argument('<experiment>', 'id or name')
    .description('cancel an experiment')
    .option('--db <target>', DB_HELP)
    .option('--json', 'print one JSON document')
    .action(act((e: string, o) => cancelCommand(e, o, io)));
  program
    .command('resume')
    .argument('<experiment>', 'id or name')
    .description('continue an experiment in the foreground')
    .option('--db <target>', DB_HELP)
    .option('--max-trials <n>', 'raise the trial budget')
    .option('--json', 'print one JSON document')
    .action(act((e: string, o) => resumeCommand(e, o, io)));
  program
    .command('schema')
    .description("print the experiment config's JSON Schema (for editors and tools)")
    .option('--markdown', 'print the config reference (docs/CONFIG.md) instead')
    .action(act((o) => schemaCommand(o, io)));
  program
    .command('update')
    .argument('<experiment>', 'id or name')
    .description('change a running experiment live (the process running it follows within a second)')
    .option('--db <target>', DB_HELP)
    .option('--max-trials <n>', 'the new total trial budget')
    .option('--parallelism <n>', 'trials at once')
    .option('--max-failed-trials <n>')
    .option('--trial-timeout-sec <s>', 'for trials that start from now on')
    .option('--json', 'print one JSON document')
    .action(act((e: string, o) => updateCommand(e, o, io)));
  program
    .command('enqueue')
    .argument('<experiment>', 'id or name')
    .description('queue parameters to run next (checked against the space; they run when the experiment runs or is resumed)')
    .option('--db <target>', DB_HELP)
    .requiredOption('--params <json>', 'the parameter values, as a JSON object')
    .option('--json', 'print one JSON document')
    .action(act((e: string, o) => enqueueCommand(e, o, io)));
  addModelCommands(program, act, io);
  addKeyCommands(program, act, io);
  addFleetCommands(program, act, io);
  addImportanceCommand(program, act, io);
  return program;
}

/** Runs the CLI with `argv` (as in `process.argv`); resolves to the exit code. */
export async function main(argv: string[], http: HttpFrontDoorFactory, io: CliIO = processIO): Promise<number> {
  const result = { code: EXIT.ok as number };
  try {
    await buildProgram(io, result, http).parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    return reportError(io, error);
  }
  return result.code;
}
