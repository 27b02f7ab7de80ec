import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import type { PromotionResult } from '../../registry/promotion.service';
import { ModelVersionView } from '../../registry/views';
import { BadRequestError } from '../../domain/errors';
import { CliIO, fmt, printJson, table } from '../cli-output';
import { auditLocal, DB_HELP, DbOptions, EXIT, resolveExperimentId, withContext } from '../cli-context';
import { optionalInteger } from '../option-parsing';
import { testScoreText } from '../test-score-text';
import { testMetricName } from '../../models/artifact/test-score';

/** Wraps an action so its exit code is recorded (the `act` of `buildProgram`). */
export type Act = <A extends unknown[]>(fn: (...args: A) => Promise<number>) => (...args: A) => Promise<void>;

function versionRows(versions: ModelVersionView[], aliases: { alias: string; version: number }[]): unknown[][] {
  return versions.map((v) => [
    v.version,
    aliases
      .filter((a) => a.version === v.version)
      .map((a) => a.alias)
      .join(',') || '-',
    `${v.objective.metric}=${fmt(v.objective.value)}`,
    `exp ${v.experimentId} trial ${v.trialNumber}`,
    v.quantization?.dtype ?? (v.compression ? `${v.compression.kind === 'prune' ? 'pruned' : 'distilled'} of ${v.compression.of}` : '-'),
    v.testMetrics ? `${testMetricName(v.objective.metric)}=${fmt(v.testMetrics[testMetricName(v.objective.metric)])}` : '-',
    v.archived ? 'archived' : '',
    v.createdAt,
  ]);
}

/** A promotion's outcome as the CLI prints it: the new version, its quantization, the alias. */
export function promotionLines(result: PromotionResult): string[] {
  const v = result.version;
  const lines = [
    `${v.model} version ${v.version}: experiment ${v.experimentId} trial ${v.trialNumber}, ${v.objective.metric}=${fmt(v.objective.value)}${result.alreadyRegistered ? ' (already registered: the best trial has not changed)' : ''}`,
  ];
  if (v.quantization)
    lines.push(
      `quantized ${v.quantization.dtype}: size ratio ${fmt(v.quantization.sizeRatio)}, ${v.quantization.metric} change ${fmt(v.quantization.metricChange)}`,
    );
  if (v.testMetrics)
    lines.push(`test: ${testScoreText(v.testMetrics, { metric: v.objective.metric, value: v.metrics[v.objective.metric] ?? v.objective.value })}`);
  if (result.alias)
    lines.push(`alias ${result.alias.name}: ${result.alias.moved ? `moved to ${v.version}` : `stays on ${result.alias.version}`} (${result.alias.reason})`);
  for (const variant of result.variants ?? []) lines.push(variantLine(variant.version, variant.alias?.moved ? variant.alias.name : undefined));
  return lines;
}

/** A pruned or distilled version as the CLI prints it: what it saves and what it costs against its original. */
function variantLine(v: ModelVersionView, alias?: string): string {
  const c = v.compression!;
  const what = c.kind === 'prune' ? `pruned (sparsity ${fmt(c.settings.sparsity)})` : 'distilled';
  return (
    `version ${v.version}: ${what} of ${c.of}: size ratio ${fmt(c.sizeRatio)} (gzipped ${c.gzipBytes} of ${c.baseGzipBytes} bytes), ` +
    `latency ${fmt(c.latencyMs)} ms vs ${fmt(c.baseLatencyMs)}, ${c.metric} ${fmt(c.value)} (change ${fmt(c.metricChange)})${alias ? `, alias ${alias}` : ''}`
  );
}

function sparsityOption(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 0.99)
    throw new BadRequestError([{ path: '--prune', message: 'must be a sparsity in [0, 0.99]' }]);
  return value;
}

/** `hpo promote EXPERIMENT`: copies a trial's model (the best without --trial) into the registry as a new version. */
export function promoteCommand(
  experiment: string,
  o: DbOptions & { trial?: string; model: string; alias?: string; force?: boolean; quantize?: string; prune?: string; description?: string },
  io: CliIO,
): Promise<number> {
  return withContext(o, async (ctx) => {
    if (o.quantize !== undefined && o.quantize !== 'uint8' && o.quantize !== 'float16')
      throw new BadRequestError([{ path: '--quantize', message: 'must be uint8 or float16' }]);
    const result = await ctx.promotions.promote({
      experimentId: await resolveExperimentId(ctx, experiment),
      model: o.model,
      force: Boolean(o.force),
      ...(o.trial ? { trialNumber: optionalInteger(o.trial, '--trial') } : {}),
      ...(o.alias ? { alias: o.alias } : {}),
      ...(o.quantize ? { quantize: o.quantize as 'uint8' | 'float16' } : {}),
      ...(o.prune !== undefined ? { prune: { sparsity: sparsityOption(o.prune) } } : {}),
      ...(o.description ? { description: o.description } : {}),
    });
    await auditLocal(ctx, 'promote', `model ${o.model}`, {
      version: result.version.version,
      experimentId: result.version.experimentId,
      trialNumber: result.version.trialNumber,
    });
    if (o.json) printJson(io, result);
    else for (const line of promotionLines(result)) io.out(line);
    return EXIT.ok;
  });
}

/** `hpo models list|show|alias|unalias|archive|delete`. */
export function modelsCommand(action: string, args: string[], o: DbOptions & { restore?: boolean }, io: CliIO): Promise<number> {
  return withContext(o, async (ctx) => {
    const [name, a, b] = args;
    const need = (n: number, usage: string) => {
      if (args.length < n) throw new BadRequestError([{ path: 'arguments', message: `usage: hpo models ${usage}` }]);
    };
    let result: unknown;
    if (action === 'list') {
      const models = await ctx.registry.list();
      if (!o.json)
        io.out(
          table(
            ['model', 'versions', 'latest', 'aliases'],
            models.map((m) => [
              m.name,
              m.versionCount,
              m.latestVersion,
              Object.entries(m.aliases)
                .map(([k, v]) => `${k}=${v}`)
                .join(' '),
            ]),
          ),
        );
      result = models;
    } else if (action === 'show') {
      need(1, 'show MODEL');
      const detail = await ctx.registry.show(name);
      if (!o.json)
        io.out(table(['version', 'aliases', 'objective', 'source', 'quantized', 'test', 'archived', 'created'], versionRows(detail.versions, detail.aliases)));
      result = detail;
    } else if (action === 'alias') {
      need(3, 'alias MODEL ALIAS VERSION');
      result = await ctx.registry.moveAlias(name, a, optionalInteger(b, 'VERSION')!);
      await auditLocal(ctx, 'alias-move', `model ${name}/${a}`, { version: Number(b) });
      if (!o.json) io.out(`${name}: alias ${a} now points at version ${b}`);
    } else if (action === 'unalias') {
      need(2, 'unalias MODEL ALIAS');
      await ctx.registry.deleteAlias(name, a);
      await auditLocal(ctx, 'alias-delete', `model ${name}/${a}`);
      result = { deleted: a };
      if (!o.json) io.out(`${name}: alias ${a} removed`);
    } else if (action === 'archive') {
      need(2, 'archive MODEL VERSION [--restore]');
      result = await ctx.registry.archive(name, optionalInteger(a, 'VERSION')!, !o.restore);
      await auditLocal(ctx, 'archive', `model ${name} version ${a}`, { archived: !o.restore });
      if (!o.json) io.out(`${name} version ${a} ${o.restore ? 'restored' : 'archived'}`);
    } else if (action === 'delete') {
      need(2, 'delete MODEL VERSION');
      await ctx.registry.deleteVersion(name, optionalInteger(a, 'VERSION')!);
      await auditLocal(ctx, 'version-delete', `model ${name} version ${a}`);
      result = { deleted: Number(a) };
      if (!o.json) io.out(`${name} version ${a} deleted`);
    } else throw new BadRequestError([{ path: 'action', message: 'must be list, show, alias, unalias, archive or delete' }]);
    if (o.json) printJson(io, result);
    return EXIT.ok;
  });
}

/** `hpo predict MODEL --input rows.json`: predictions for rows (a JSON array, or `{"instances": [...]}`). */
export function predictCommand(model: string, o: DbOptions & { input: string; alias?: string; version?: string }, io: CliIO): Promise<number> {
  return withContext(o, async (ctx) => {
    let body: unknown;
    try {
      body = JSON.parse(readFileSync(o.input, 'utf8'));
    } catch (error) {
      throw new BadRequestError([{ path: '--input', message: `cannot read ${o.input} as JSON: ${(error as Error).message}` }]);
    }
    const version = optionalInteger(o.version, '--version');
    const response = await ctx.serving.predict(
      model,
      version !== undefined ? { version } : o.alias ? { alias: o.alias } : {},
      Array.isArray(body) ? { instances: body } : body,
    );
    if (o.json) printJson(io, response);
    else {
      io.out(`${response.model} version ${response.version}`);
      io.out(response.predictions.map((p) => ('label' in p ? `${p.label}\t${JSON.stringify(p.probabilities)}` : String(p.value))).join('\n'));
    }
    return EXIT.ok;
  });
}

/** Adds `promote`, `models` and `predict` to the `hpo` program. */
export function addModelCommands(program: Command, act: Act, io: CliIO): void {
  program
    .command('promote')
    .argument('<experiment>', 'id or name')
    .description("register a trial's model (the best trial unless --trial) as a new version")
    .requiredOption('--model <name>', 'registered model name')
    .option('--trial <n>', 'trial number')
    .option('--alias <alias>', 'move this alias if the version is better')
    .option('--force', 'move the alias even if not better')
    .option('--quantize <dtype>', 'uint8 | float16')
    .option('--prune <sparsity>', 'also store a magnitude-pruned, fine-tuned variant (sparsity in [0, 0.99]) as its own version')
    .option('--description <text>')
    .option('--db <target>', DB_HELP)
    .option('--json', 'print one JSON document')
    .action(act((e: string, o) => promoteCommand(e, o, io)));
  program
    .command('models')
    .argument('<action>', 'list | show | alias | unalias | archive | delete')
    .argument('[args...]', 'MODEL [ALIAS] [VERSION]')
    .description('registered models: list, show versions, move or remove an alias (rollback), archive or delete a version')
    .option('--restore', 'with archive: unarchive')
    .option('--db <target>', DB_HELP)
    .option('--json', 'print one JSON document')
    .action(act((action: string, args: string[], o) => modelsCommand(action, args, o, io)));
  program
    .command('predict')
    .argument('<model>')
    .description('predict rows with a registered model (alias production unless --alias or --version)')
    .requiredOption('--input <file>', 'JSON rows: an array, or {"instances": [...]}')
    .option('--alias <alias>')
    .option('--version <n>')
    .option('--db <target>', DB_HELP)
    .option('--json', 'print one JSON document')
    .action(act((m: string, o) => predictCommand(m, o, io)));
}
