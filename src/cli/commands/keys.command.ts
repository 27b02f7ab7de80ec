import { Command } from 'commander';
import { DEFAULT_AUDIT_PAGE, MAX_AUDIT_PAGE } from '../../auth/audit.service';
import { AUDIT_ACTIONS, AuditAction } from '../../auth/audit.types';
import { isScope, SCOPES } from '../../auth/scopes';
import { BadRequestError } from '../../domain/errors';
import { CliIO, printJson, table } from '../cli-output';
import { auditLocal, DB_HELP, DbOptions, EXIT, withContext } from '../cli-context';
import { integerOption, optionalInteger } from '../option-parsing';
import type { Act } from './models.command';

const when = (ms: number | null): string => (ms === null ? '-' : new Date(ms).toISOString());

/** `hpo keys create|list|revoke` and `hpo audit`: keys are made on the database by its owner, and shown once. */
export function addKeyCommands(program: Command, act: Act, io: CliIO): void {
  const keys = program.command('keys').description('API keys: create (shown once), list, revoke');
  keys
    .command('create')
    .description('make a key; it is printed once and stored only as a scrypt hash')
    .requiredOption('--name <name>', 'what the audit log calls it (letters, digits, . _ -)')
    .requiredOption('--scope <scope>', `${SCOPES.join(' | ')}`)
    .option('--db <target>', DB_HELP)
    .option('--json', 'print one JSON document')
    .action(
      act(async (o: DbOptions & { name: string; scope: string }) => {
        if (!isScope(o.scope)) throw new BadRequestError([{ path: '--scope', message: `must be one of ${SCOPES.join(', ')}, got "${o.scope}"` }]);
        const scope = o.scope;
        return withContext(
          o,
          async (ctx) => {
            const { key, record } = await ctx.keys.create(o.name, scope);
            await auditLocal(ctx, 'key-create', `key ${record.name}`, { scope });
            if (o.json) printJson(io, { key, ...record });
            else {
              io.out(key);
              io.err(`hpo: key ${record.name} (${record.scope}) created; it is shown this once: keep it somewhere safe`);
            }
            return EXIT.ok;
          },
          { creates: true },
        );
      }),
    );
  keys
    .command('list')
    .description('every key with its scope, creation, last use and revocation (never a secret)')
    .option('--db <target>', DB_HELP)
    .option('--json', 'print one JSON document')
    .action(
      act((o: DbOptions) =>
        withContext(o, async (ctx) => {
          const list = await ctx.keys.list();
          if (o.json) printJson(io, list);
          else
            io.out(
              table(
                ['name', 'scope', 'created', 'last used', 'revoked'],
                list.map((k) => [k.name, k.scope, when(k.createdAt), when(k.lastUsedAt), when(k.revokedAt)]),
              ),
            );
          return EXIT.ok;
        }),
      ),
    );
  keys
    .command('revoke')
    .description('revoke a key by name: it stops working at once, in every process')
    .argument('<name>')
    .option('--db <target>', DB_HELP)
    .action(
      act((name: string, o: DbOptions) =>
        withContext(o, async (ctx) => {
          await ctx.keys.revoke(name);
          await auditLocal(ctx, 'key-revoke', `key ${name}`);
          io.err(`hpo: key ${name} revoked`);
          return EXIT.ok;
        }),
      ),
    );
  program
    .command('audit')
    .description('the audit log, newest first: who changed what, when, from where')
    .option('--db <target>', DB_HELP)
    .option('--limit <n>', `entries (default ${DEFAULT_AUDIT_PAGE})`)
    .option('--before <id>', 'entries older than this id (the next page)')
    .option('--actor <name>', 'only this key')
    .option('--action <action>', AUDIT_ACTIONS.join(' | '))
    .option('--json', 'print one JSON document')
    .action(
      act((o: DbOptions & { limit?: string; before?: string; actor?: string; action?: string }) =>
        withContext(o, async (ctx) => {
          if (o.action !== undefined && !AUDIT_ACTIONS.includes(o.action as AuditAction))
            throw new BadRequestError([{ path: '--action', message: `must be one of ${AUDIT_ACTIONS.join(', ')}, got "${o.action}"` }]);
          const before = optionalInteger(o.before, '--before');
          const entries = await ctx.audit.list({
            limit: integerOption(o.limit, '--limit', DEFAULT_AUDIT_PAGE, 1, MAX_AUDIT_PAGE),
            ...(before !== undefined ? { before } : {}),
            ...(o.actor !== undefined ? { actor: o.actor } : {}),
            ...(o.action !== undefined ? { action: o.action as AuditAction } : {}),
          });
          if (o.json) printJson(io, entries);
          else
            io.out(
              table(
                ['id', 'when', 'who', 'action', 'target', 'from', 'detail'],
                entries.map((e) => [e.id, when(e.at), e.actor, e.action, e.target, e.origin, e.detail ? JSON.stringify(e.detail) : '']),
              ),
            );
          return EXIT.ok;
        }),
      ),
    );
}
