import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { LOCAL_PRINCIPAL_NAME } from '../auth/api-key.types';
import type { AuditAction } from '../auth/audit.types';
import { DEFAULT_DB_FILE, isDatabaseUrl, readServiceSettings } from '../config/service-settings';
import { openServiceContext, ServiceContext } from '../context/service-context';
import { BadRequestError, ConfigSyntaxError, ConflictError, ExperimentValidationError, NotFoundError, SettingsError } from '../domain/errors';
import { CliIO } from './cli-output';

/** Exit codes: 0 success, 1 the work failed, 2 bad input (a config, a flag, an id), 130 cancelled (the convention for SIGINT). */
export const EXIT = { ok: 0, failed: 1, badInput: 2, cancelled: 130 } as const;

/** What every `--db` option says. */
export const DB_HELP = `SQLite file or postgres:// URL (default ./${DEFAULT_DB_FILE}, or HPO_DB)`;

/** Options every verb that opens the database takes. */
export interface DbOptions {
  db?: string;
  json?: boolean;
}

/** Prints a domain error as a user would want it (problems by path, one per line); returns the exit code. */
export function reportError(io: CliIO, error: unknown): number {
  if (error instanceof ExperimentValidationError || error instanceof ConfigSyntaxError || error instanceof BadRequestError) {
    io.err('hpo: the input has problems:');
    for (const p of error.problems) io.err(`  ${p.path}: ${p.message}`);
    return EXIT.badInput;
  }
  if (error instanceof NotFoundError || error instanceof ConflictError || error instanceof SettingsError) {
    io.err(`hpo: ${error.message}`);
    return EXIT.badInput;
  }
  io.err(`hpo: ${(error as Error)?.message ?? String(error)}`);
  return EXIT.failed;
}

/** How a verb opens the service: whether it may create the database. */
export interface ContextSetup {
  /**
   * Only verbs that create records (run) may start a new SQLite file; for the others a missing
   * file is a mistyped `--db`, and opening it would quietly make an empty database.
   */
  creates?: boolean;
}

/** Opens the service context for one verb, runs it, and always closes the database. */
export async function withContext(options: DbOptions, work: (ctx: ServiceContext) => Promise<number>, { creates = false }: ContextSetup = {}): Promise<number> {
  const settings = readServiceSettings(options.db ? { db: options.db } : {});
  if (!creates && !isDatabaseUrl(settings.db) && !existsSync(settings.db)) {
    throw new SettingsError(`no database at ${settings.db}: run an experiment there first, or point --db (or HPO_DB) at an existing one`);
  }
  const ctx = await openServiceContext(settings);
  try {
    return await work(ctx);
  } finally {
    await ctx.close();
  }
}

/** Reads an experiment argument: an id, or the name of the newest experiment with that name. */
export async function resolveExperimentId(ctx: ServiceContext, arg: string): Promise<number> {
  return /^\d+$/.test(arg) ? Number(arg) : ctx.experiments.idByName(arg);
}

/** Who the CLI acts as in the audit log: the machine's user, on the database directly. */
export function localActor(): string {
  try {
    return `${LOCAL_PRINCIPAL_NAME}:${userInfo().username}`;
  } catch {
    return LOCAL_PRINCIPAL_NAME;
  }
}

/** Records a change a CLI verb made, as the REST routes record theirs. */
export function auditLocal(ctx: ServiceContext, action: AuditAction, target: string, detail: Record<string, unknown> | null = null): Promise<unknown> {
  return ctx.audit.record(localActor(), action, target, 'cli', detail);
}
