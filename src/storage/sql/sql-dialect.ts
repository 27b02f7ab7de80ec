import { DataSource, QueryRunner } from 'typeorm';
import { asStoreError, isTransientDbError } from './transient-errors';

/** The part of a better-sqlite3 prepared statement this class uses. */
interface SqliteStatement {
  reader: boolean;
  raw(toggle: boolean): SqliteStatement;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { changes: number };
}

/** The part of a better-sqlite3 connection this class uses. */
interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
  exec(sql: string): void;
}

/** better-sqlite3 binds numbers, strings, bigints, buffers and null, not booleans. */
const sqliteParams = (params: unknown[]): unknown[] => params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));

/** Runs one statement and returns its rows and changed-row count. */
type Execute = (text: string, params: unknown[]) => Promise<{ records: unknown[]; affected: number }>;

/**
 * Runs raw statements on SQLite or PostgreSQL alike: rewrites `?` placeholders to `$1…` for
 * PostgreSQL, and serialises work on SQLite, whose single connection cannot hold two transactions.
 * On SQLite statements go straight to better-sqlite3 with a prepared-statement cache: the
 * scheduler's few statements per trial are the main thread's largest cost, and TypeORM's query
 * runner more than doubles them. Schema and migrations still go through TypeORM.
 */
export class SqlDialect {
  readonly postgres: boolean;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly statements = new Map<string, SqliteStatement>();
  /** Statements that return each row as an array of its columns (better-sqlite3's `raw` mode is a property of the statement). */
  private readonly rawStatements = new Map<string, SqliteStatement>();

  constructor(readonly source: DataSource) {
    this.postgres = source.options.type === 'postgres';
  }

  /** Rewrites `?` placeholders for the target database. */
  sql(text: string): string {
    if (!this.postgres) return text;
    let n = 0;
    return text.replace(/\?/g, () => `$${++n}`);
  }

  private sqlite(): SqliteConnection {
    return (this.source.driver as unknown as { databaseConnection: SqliteConnection }).databaseConnection;
  }

  private runSqlite(text: string, params: unknown[]): { records: unknown[]; affected: number } {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.sqlite().prepare(text);
      this.statements.set(text, statement);
    }
    const bound = sqliteParams(params);
    if (statement.reader) return { records: statement.all(...bound), affected: 0 };
    return { records: [], affected: statement.run(...bound).changes };
  }

  /**
   * Runs `work` with an executor; on SQLite one at a time, so a transaction never interleaves with
   * other statements. A lost connection (or SQLite locked past its busy timeout) comes out as a
   * `StoreUnavailableError`, which callers that must not lose a write retry.
   */
  private exclusive<T>(work: (execute: Execute, runner?: QueryRunner) => Promise<T>): Promise<T> {
    const engine = this.postgres ? 'PostgreSQL' : 'SQLite';
    return this.exclusiveRaw(work).catch((error: unknown) => {
      throw asStoreError(error, engine);
    });
  }

  private exclusiveRaw<T>(work: (execute: Execute, runner?: QueryRunner) => Promise<T>): Promise<T> {
    if (this.postgres) {
      const runner = this.source.createQueryRunner();
      const execute: Execute = async (text, params) => {
        const result = await runner.query(this.sql(text), params, true);
        return { records: result.records ?? [], affected: result.affected ?? 0 };
      };
      return work(execute, runner).then(
        async (result) => {
          await runner.release();
          return result;
        },
        async (error: unknown) => {
          // A connection that broke under the statement goes back to the pool with its error, so the
          // pool drops it instead of handing it to the next statement (which would fail the same way).
          const broken = isTransientDbError(error);
          const pg = runner as unknown as { releasePostgresConnection?: (err?: unknown) => Promise<void> };
          await (broken && pg.releasePostgresConnection ? pg.releasePostgresConnection(error) : runner.release()).catch(() => undefined);
          throw error;
        },
      );
    }
    const execute: Execute = async (text, params) => this.runSqlite(text, params);
    const result = this.queue.then(
      () => work(execute),
      () => work(execute),
    );
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Runs a statement and returns its rows (for SELECT and RETURNING). */
  async rows<T>(text: string, params: unknown[] = []): Promise<T[]> {
    return this.exclusive(async (execute) => (await execute(text, params)).records as T[]);
  }

  /**
   * Runs a SELECT and returns each row as an array of its columns, in the order selected: for
   * reads of many rows (the dashboard's first read of an experiment's trials), where making an
   * object per row costs more than reading it. SQLite through better-sqlite3's raw mode,
   * PostgreSQL through pg's `rowMode: 'array'`.
   */
  async arrays(text: string, params: unknown[] = []): Promise<unknown[][]> {
    if (this.postgres) {
      const runner = this.source.createQueryRunner();
      try {
        const client = (await runner.connect()) as { query(q: { text: string; values: unknown[]; rowMode: 'array' }): Promise<{ rows: unknown[][] }> };
        return (await client.query({ text: this.sql(text), values: params, rowMode: 'array' })).rows;
      } finally {
        await runner.release();
      }
    }
    return this.exclusive(async () => {
      let statement = this.rawStatements.get(text);
      if (!statement) {
        statement = this.sqlite().prepare(text).raw(true);
        this.rawStatements.set(text, statement);
      }
      return statement.all(...sqliteParams(params)) as unknown[][];
    });
  }

  /** Runs a write and returns how many rows it changed. */
  async changes(text: string, params: unknown[] = []): Promise<number> {
    return this.exclusive(async (execute) => (await execute(text, params)).affected);
  }

  /**
   * Runs statements in one transaction; `run(sql, params)` returns each statement's changed-row
   * count, `read(sql, params)` its rows (for SELECT and RETURNING). Commits when `work` resolves
   * true, rolls back when it returns false or throws.
   */
  async transaction(
    work: (run: (text: string, params: unknown[]) => Promise<number>, read: <T>(text: string, params: unknown[]) => Promise<T[]>) => Promise<boolean>,
  ): Promise<boolean> {
    return this.exclusive(async (execute, runner) => {
      const begin = (): Promise<unknown> => (runner ? runner.startTransaction() : execute('BEGIN', []));
      const end = (commit: boolean): Promise<unknown> =>
        runner ? (commit ? runner.commitTransaction() : runner.rollbackTransaction()) : execute(commit ? 'COMMIT' : 'ROLLBACK', []);
      await begin();
      try {
        const commit = await work(
          async (text, params) => (await execute(text, params)).affected,
          async <T>(text: string, params: unknown[]) => (await execute(text, params)).records as T[],
        );
        await end(commit);
        return commit;
      } catch (error) {
        // On a broken connection the rollback fails too: the statement's own error is the one to tell.
        await end(false).catch(() => undefined);
        throw error;
      }
    });
  }
}
