// One data-access entry point for both backends: SQLite (better-sqlite3, WAL) as the embedded default,
// PostgreSQL (pg) given a postgres:// URL. Everything above this layer sees only `Ledger`.
import { existsSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  sql,
  type DatabaseConnection,
  type Driver,
  type Transaction,
} from "kysely";
import pg from "pg";
import { UsageError, withContext } from "../../errors.js";
import { migrateToLatest } from "./migrations.js";
import type { LedgerSchema } from "./schema.js";

export type Dialect = "sqlite" | "postgres";
export type LedgerDb = Kysely<LedgerSchema>;
export type LedgerTrx = Transaction<LedgerSchema>;

export interface Ledger {
  db: LedgerDb;
  dialect: Dialect;
  /** Where it lives, without credentials (for logs and messages). */
  location: string;
  close(): Promise<void>;
}

/**
 * SQLite's default deferred transactions take the write lock only at their first write, and a reader
 * that then writes fails with SQLITE_BUSY instead of waiting. Metering and a close run in different
 * processes, so every transaction takes the write lock up front (BEGIN IMMEDIATE) and waits its turn.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly database: Database.Database) {
    super({ database });
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.database });
  }
}

// The raw better-sqlite3 handle behind a SQLite ledger, for the one hot path kysely is too slow for:
// writing an hour of 10,000 hosts (40,000 rows) through one prepared statement.
const sqliteHandles = new WeakMap<LedgerDb, Database.Database>();

export function sqliteHandleOf(db: LedgerDb): Database.Database | undefined {
  return sqliteHandles.get(db);
}

export function dialectOf(url: string): Dialect {
  return /^postgres(ql)?:\/\//.test(url) ? "postgres" : "sqlite";
}

export interface OpenLedgerOptions {
  /** Bring the schema up to date (default); off only for `db migrate`, which reports what it applied. */
  migrate?: boolean;
  /**
   * Create the ledger when there is none yet (`db migrate`, `--create`, the demo, tests). Off by default:
   * a mistyped path must fail, not answer every question with the zeros of a new, empty ledger.
   */
  create?: boolean;
}

/** A ledger that is not there, where a command expected one. */
export class LedgerMissingError extends UsageError {
  constructor(location: string, what: string) {
    super(
      `${what} ${location}: check --database-url (MUNIOPS_DATABASE_URL), or create the ledger with \`muniops ` +
        `db migrate --database-url ${location}\``,
    );
    this.name = "LedgerMissingError";
  }
}

/** Open the ledger at `url` (postgres://…, sqlite:PATH or a plain path) and bring its schema up to date. */
export async function openLedger(url: string, options: OpenLedgerOptions = {}): Promise<Ledger> {
  const create = options.create === true;
  const ledger = dialectOf(url) === "postgres" ? openPostgres(url) : openSqlite(url, create);
  try {
    if (!create && !(await hasLedgerSchema(ledger)))
      throw new LedgerMissingError(ledger.location, "there is no muniops ledger in");
    if (options.migrate !== false) await migrateToLatest(ledger.db as Kysely<unknown>, ledger.dialect);
  } catch (error) {
    await ledger.close();
    throw error;
  }
  return ledger;
}

/** Whether the database holds a ledger: every ledger has its migration table from its first migration on. */
async function hasLedgerSchema(ledger: Ledger): Promise<boolean> {
  const query =
    ledger.dialect === "postgres"
      ? sql<{ found: string | null }>`select to_regclass('schema_migrations')::text as found`
      : sql<{
          found: string | null;
        }>`select name as found from sqlite_master where type = 'table' and name = 'schema_migrations'`;
  try {
    const { rows } = await query.execute(ledger.db);
    return rows.some((r) => r.found !== null);
  } catch (error) {
    throw withContext(`couldn't read the ledger ${ledger.location}`, error);
  }
}

function openSqlite(url: string, create: boolean): Ledger {
  const path = resolve(url.replace(/^(sqlite|file):(\/\/)?/, ""));
  if (!create && !existsSync(path)) throw new LedgerMissingError(path, "there is no ledger file");
  let database: Database.Database;
  try {
    if (create) mkdirSync(dirname(path), { recursive: true });
    database = new Database(path, { fileMustExist: !create });
    database.pragma("journal_mode = WAL");
    database.pragma("synchronous = NORMAL");
    database.pragma("busy_timeout = 30000");
    database.pragma("foreign_keys = ON");
  } catch (error) {
    throw withContext(`couldn't open the SQLite ledger ${path}`, error);
  }
  const db = new Kysely<LedgerSchema>({ dialect: new ImmediateSqliteDialect(database) });
  sqliteHandles.set(db, database);
  return { db, dialect: "sqlite", location: path, close: () => db.destroy() };
}

function openPostgres(url: string): Ledger {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError("databaseUrl is not a valid postgres:// URL (MUNIOPS_DATABASE_URL or --database-url)");
  }
  // JIT compilation off (unless the URL sets server options itself): the ledger's queries are many short
  // index lookups that the planner estimates as costly, and compiling them took PostgreSQL 15 about 0.24 s
  // of a 0.57 s unmetered-hours count over 10,000 hosts.
  const pool = new pg.Pool({
    connectionString: url,
    max: 8,
    ...(parsed.searchParams.has("options") ? {} : { options: "-c jit=off" }),
  });
  // An idle client's error (server restart) must not crash the process; the next query reports it.
  pool.on("error", () => undefined);
  const db = new Kysely<LedgerSchema>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: "postgres",
    location: `postgres://${parsed.host}${parsed.pathname}`,
    close: () => db.destroy(),
  };
}

/**
 * Serialise period closes against writers of usage and adjustments. On PostgreSQL an advisory
 * transaction lock (writers shared, the close exclusive); on SQLite BEGIN IMMEDIATE already serialises.
 */
export async function lockPeriods(trx: LedgerTrx, dialect: Dialect, mode: "shared" | "exclusive"): Promise<void> {
  if (dialect !== "postgres") return;
  const key = 6_006_006;
  if (mode === "exclusive") await sql`select pg_advisory_xact_lock(${key})`.execute(trx);
  else await sql`select pg_advisory_xact_lock_shared(${key})`.execute(trx);
}
