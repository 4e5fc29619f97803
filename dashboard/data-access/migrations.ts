// Versioned schema migrations, run by `muniops db migrate` and at every start. Names sort in the order
// they apply; never edit a released migration, add the next one. Issue 7 (users, sessions) appends its
// own migrations to `ledgerMigrations` the same way.
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from "kysely";
import { OperationFailedError } from "../../errors.js";
import type { Dialect } from "./database.js";
import { appendChainRecord, statementHashOf, type ChainRecordDraft } from "./ledgerChain.js";
import type { LedgerSchema } from "./schema.js";
import { focusCostsMigration } from "./focusMigration.js";
import { meteredQuantitiesMigration } from "./meteredUsage.js";

export type MigrationFactory = (dialect: Dialect) => Migration;

/** Autoincrementing id column for the dialect. */
function idColumn(dialect: Dialect): string {
  return dialect === "postgres"
    ? "bigint generated always as identity primary key"
    : "integer primary key autoincrement";
}

/** Master data: departments, hosts and shares, rate versions, licences, cost items. */
async function createMasterDataTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("departments")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("cost_center", "text", (c) => c.notNull())
    .addColumn("headcount", "integer", (c) => c.notNull())
    .addColumn("annual_budget_cents", "bigint")
    .execute();
  for (const table of ["hosts", "shares"] as const) {
    let builder = db.schema
      .createTable(table)
      .addColumn("name", "text", (c) => c.primaryKey())
      .addColumn("department", "text");
    builder =
      table === "hosts"
        ? builder
            .addColumn("service", "text")
            .addColumn("environment", "text")
            .addColumn("vcpus", "integer", (c) => c.notNull())
            .addColumn("memory_mib", "integer", (c) => c.notNull())
        : builder.addColumn("quota_gib", "integer", (c) => c.notNull()).addColumn("tier", "text", (c) => c.notNull());
    await builder
      .addColumn("existed_from", "text", (c) => c.notNull())
      .addColumn("existed_to", "text")
      .execute();
  }
  await db.schema
    .createTable("rate_versions")
    .addColumn("valid_from", "text", (c) => c.primaryKey())
    .addColumn("note", "text")
    .execute();
  await db.schema
    .createTable("rate_prices")
    .addColumn("valid_from", "text", (c) => c.notNull().references("rate_versions.valid_from").onDelete("cascade"))
    .addColumn("meter", "text", (c) => c.notNull())
    .addColumn("micro_eur", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("rate_prices_pk", ["valid_from", "meter"])
    .execute();
  await db.schema
    .createTable("licence_products")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("licence_type", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("licence_contracts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("product_id", "text", (c) => c.notNull().references("licence_products.id"))
    .addColumn("quantity", "integer", (c) => c.notNull())
    .addColumn("unit_price_micro_eur", "bigint", (c) => c.notNull())
    .addColumn("start_date", "text", (c) => c.notNull())
    .addColumn("end_date", "text")
    .addColumn("supplier", "text", (c) => c.notNull())
    .addColumn("purchase_order", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("licence_assignments")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("product_id", "text", (c) => c.notNull().references("licence_products.id"))
    .addColumn("department", "text", (c) => c.notNull().references("departments.id"))
    .addColumn("seats", "integer", (c) => c.notNull())
    .addColumn("valid_from", "text", (c) => c.notNull())
    .addColumn("valid_to", "text")
    .execute();
  await db.schema
    .createTable("cost_items")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("monthly_cents", "bigint", (c) => c.notNull())
    .addColumn("driver", "text", (c) => c.notNull())
    .addColumn("percentages", "text")
    .addColumn("valid_from", "text", (c) => c.notNull())
    .addColumn("valid_to", "text")
    .execute();
}

/** Usage: hourly and daily rows per subject and meter, and the raw scrape samples. */
async function createUsageTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("usage_hourly")
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("meter", "text", (c) => c.notNull())
    .addColumn("hour", "text", (c) => c.notNull())
    .addColumn("department", "text")
    .addColumn("value", "bigint")
    .addColumn("status", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("usage_hourly_pk", ["subject", "meter", "hour"])
    .execute();
  await db.schema.createIndex("usage_hourly_hour").on("usage_hourly").columns(["hour", "status"]).execute();
  await db.schema
    .createTable("usage_daily")
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("meter", "text", (c) => c.notNull())
    .addColumn("day", "text", (c) => c.notNull())
    .addColumn("department", "text")
    .addColumn("value_hours", "bigint", (c) => c.notNull())
    .addColumn("hours_ok", "integer", (c) => c.notNull())
    .addColumn("hours_gap", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("usage_daily_pk", ["subject", "meter", "day"])
    .execute();
  await db.schema.createIndex("usage_daily_day").on("usage_daily").column("day").execute();
  await db.schema
    .createTable("scrape_samples")
    .addColumn("host", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("up", "integer", (c) => c.notNull())
    .addColumn("fs_used_bytes", "bigint")
    .addPrimaryKeyConstraint("scrape_samples_pk", ["host", "at"])
    .execute();
}

/** The ledger: periods, statement status, adjustments and the audit log. */
async function createLedgerTables(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable("periods")
    .addColumn("period", "text", (c) => c.primaryKey())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("seq", "integer", (c) => c.notNull().unique())
    .addColumn("closed_at", "text", (c) => c.notNull())
    .addColumn("closed_by", "text", (c) => c.notNull())
    .addColumn("statement", "text", (c) => c.notNull())
    .addColumn("prev_hash", "text", (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("statement_status")
    .addColumn("period", "text", (c) => c.notNull().references("periods.period"))
    .addColumn("department", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("comment", "text")
    .addPrimaryKeyConstraint("statement_status_pk", ["period", "department"])
    .execute();
  await db.schema
    .createTable("adjustments")
    .addColumn("id", sql.raw(idColumn(dialect)))
    .addColumn("period", "text", (c) => c.notNull())
    .addColumn("department", "text", (c) => c.notNull().references("departments.id"))
    .addColumn("amount_cents", "bigint", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("refers_to_period", "text")
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("audit_log")
    .addColumn("id", sql.raw(idColumn(dialect)))
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("entity", "text", (c) => c.notNull())
    .addColumn("entity_id", "text", (c) => c.notNull())
    .addColumn("before", "text")
    .addColumn("after", "text")
    .execute();
  await db.schema.createIndex("audit_log_entity").on("audit_log").columns(["entity", "entity_id"]).execute();
}

const initialLedger: MigrationFactory = (dialect) => ({
  async up(db: Kysely<unknown>) {
    await createMasterDataTables(db);
    await createUsageTables(db);
    await createLedgerTables(db, dialect);
  },
});

/**
 * Usage per department, day and meter, kept in step with usage_daily by the rollup: a month's chargeback
 * then reads thousands of rows instead of a million (10,000 hosts × 31 days × 3 meters). An unowned
 * subject's department is '' here (a primary key column can't be null on PostgreSQL).
 */
const departmentDaily: MigrationFactory = () => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("usage_department_daily")
      .addColumn("department", "text", (c) => c.notNull())
      .addColumn("day", "text", (c) => c.notNull())
      .addColumn("meter", "text", (c) => c.notNull())
      .addColumn("value_hours", "bigint", (c) => c.notNull())
      .addColumn("hours_gap", "integer", (c) => c.notNull())
      .addPrimaryKeyConstraint("usage_department_daily_pk", ["day", "department", "meter"])
      .execute();
    await sql
      .raw(
        "insert into usage_department_daily (department, day, meter, value_hours, hours_gap)\n" +
          "      select coalesce(department, ''), day, meter, cast(sum(value_hours) as bigint), sum(hours_gap) " +
          "from usage_daily group by coalesce(department, ''), day, meter",
      )
      .execute(db);
  },
});

/**
 * `muniops audit` reports kept for the compliance page: uploaded by auditors or run by the server. The
 * report is stored whole (JSON text); the summary columns let the page list audits without parsing them.
 */
const auditReports: MigrationFactory = (dialect) => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("audit_reports")
      .addColumn("id", sql.raw(idColumn(dialect)))
      .addColumn("stack", "text", (c) => c.notNull())
      .addColumn("generated_at", "text", (c) => c.notNull())
      .addColumn("received_at", "text", (c) => c.notNull())
      .addColumn("received_from", "text", (c) => c.notNull())
      .addColumn("source", "text", (c) => c.notNull())
      .addColumn("passed", "integer", (c) => c.notNull())
      .addColumn("resources", "integer", (c) => c.notNull())
      .addColumn("mandatory_failures", "integer", (c) => c.notNull())
      .addColumn("advisory_failures", "integer", (c) => c.notNull())
      .addColumn("waived", "integer", (c) => c.notNull())
      .addColumn("report", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("audit_reports_stack").on("audit_reports").columns(["stack", "id"]).execute();
  },
});

/**
 * The latest live status of each host (one row per host, replaced at every scrape): what the operations
 * page shows. CPU busy is a rate, so the row keeps the CPU counters the next scrape computes it from.
 * Filled from the latest scrape sample where one exists.
 */
const hostStatus: MigrationFactory = () => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("host_status")
      .addColumn("host", "text", (c) => c.primaryKey())
      .addColumn("at", "text", (c) => c.notNull())
      .addColumn("up", "integer", (c) => c.notNull())
      .addColumn("cpu_busy_ratio", "double precision")
      .addColumn("cpu_seconds", "double precision")
      .addColumn("cpu_idle_seconds", "double precision")
      .addColumn("memory_total_bytes", "bigint")
      .addColumn("memory_available_bytes", "bigint")
      .addColumn("fs_used_bytes", "bigint")
      .addColumn("fullest_mountpoint", "text")
      .addColumn("fullest_size_bytes", "bigint")
      .addColumn("fullest_avail_bytes", "bigint")
      .execute();
    await sql`insert into host_status (host, at, up, fs_used_bytes)
      select s.host, s.at, s.up, s.fs_used_bytes from scrape_samples s
      join (select host, max(at) as at from scrape_samples group by host) m on m.host = s.host and m.at = s.at`.execute(
      db,
    );
  },
});

/**
 * The host-hours a month recorded per host (the unmetered-hours count) read from an index alone: the
 * rollup's rows for the `vcpus` meter, with the two hour columns, so each host's month is one short
 * index range instead of a table row per day (10,000 hosts: about 150 ms to 55 ms on SQLite).
 */
const usageDailyRecordedHours: MigrationFactory = () => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createIndex("usage_daily_vcpu_hours")
      .on("usage_daily")
      .columns(["subject", "day", "hours_ok", "hours_gap"])
      .where(sql.ref("meter"), "=", sql.lit("vcpus"))
      .execute();
  },
});

/**
 * The tamper-evident chain of closes and sign-offs (ledgerChain.ts). A ledger closed before it gets its
 * existing closes (in close order, each followed by its sign-offs and disputes) chained now, each record
 * anchored in the audit log as new ones are: from here on, a deleted or rehashed record shows.
 */
const ledgerChain: MigrationFactory = () => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("ledger_chain")
      .addColumn("seq", "integer", (c) => c.primaryKey())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("period", "text", (c) => c.notNull())
      .addColumn("department", "text")
      .addColumn("actor", "text", (c) => c.notNull())
      .addColumn("at", "text", (c) => c.notNull())
      .addColumn("comment", "text")
      .addColumn("statement_hash", "text", (c) => c.notNull())
      .addColumn("prev_hash", "text", (c) => c.notNull())
      .addColumn("hash", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("ledger_chain_period").on("ledger_chain").columns(["period", "kind"]).execute();
    const ledger = db as unknown as Kysely<LedgerSchema>;
    const periods = await ledger.selectFrom("periods").selectAll().orderBy("seq", "asc").execute();
    const statuses = await ledger
      .selectFrom("statement_status")
      .selectAll()
      .orderBy("at")
      .orderBy("department")
      .execute();
    const migratedAt = new Date().toISOString();
    for (const p of periods) {
      const statementHash = statementHashOf(p.statement);
      const close = { actor: p.closed_by, at: p.closed_at, comment: null, department: null };
      const drafts: ChainRecordDraft[] = [
        { kind: "close", period: p.period, ...close, statementHash },
        ...statuses
          .filter((s) => s.period === p.period)
          .map((s) => ({
            kind: s.status === "disputed" ? ("dispute" as const) : ("sign-off" as const),
            period: s.period,
            department: s.department,
            actor: s.actor,
            at: s.at,
            comment: s.comment,
            statementHash,
          })),
      ];
      for (const draft of drafts) {
        const record = await appendChainRecord(ledger, draft);
        const { seq, hash, kind, period, department } = record;
        await ledger
          .insertInto("audit_log")
          .values({
            at: migratedAt,
            actor: "muniops db migrate",
            action: "chain",
            entity: "ledger-chain",
            entity_id: String(seq),
            before: null,
            after: JSON.stringify({ chain: { seq, hash }, kind, period, department }),
          })
          .execute();
      }
    }
  },
});

/**
 * The audit history (BIO2 5.36.01, 8.08.04): every stored audit names the Pulumi document it judged (its
 * SHA-256) and the baseline it was recorded with, and keeps its result per BIO2 entry as rows, so the
 * compliance page's trend per measure and the yearly evidence dossier read the year without parsing every
 * report. Reports stored before this migration keep no measure rows: their history starts here.
 */
const auditHistory: MigrationFactory = () => ({
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable("audit_reports").addColumn("document_sha256", "text").execute();
    await db.schema.alterTable("audit_reports").addColumn("baseline", "text").execute();
    await db.schema
      .createTable("audit_measure_results")
      .addColumn("report_id", "bigint", (c) => c.notNull().references("audit_reports.id").onDelete("cascade"))
      .addColumn("stack", "text", (c) => c.notNull())
      .addColumn("generated_at", "text", (c) => c.notNull())
      .addColumn("measure", "text", (c) => c.notNull())
      .addColumn("state", "text", (c) => c.notNull())
      .addColumn("pass", "integer", (c) => c.notNull())
      .addColumn("fail", "integer", (c) => c.notNull())
      .addColumn("waived", "integer", (c) => c.notNull())
      .addPrimaryKeyConstraint("audit_measure_results_pk", ["report_id", "measure"])
      .execute();
    await db.schema
      .createIndex("audit_measure_results_trend")
      .on("audit_measure_results")
      .columns(["stack", "generated_at"])
      .execute();
  },
});

/**
 * The daily patch snapshot (BIO2 8.08.01): each server's patch state as the agents last reported it that day,
 * one row per day and host, so the yearly evidence counts breaches and time to patch month by month. The
 * verdict is not stored: the rule (domain/patchCompliance.ts) is applied on reading, with the waivers' dates.
 */
const patchSnapshots: MigrationFactory = () => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("patch_snapshots")
      .addColumn("day", "text", (c) => c.notNull())
      .addColumn("host", "text", (c) => c.notNull())
      .addColumn("department", "text")
      .addColumn("at", "text", (c) => c.notNull())
      .addColumn("security_pending", "integer")
      .addColumn("other_pending", "integer")
      .addColumn("security_oldest_age_seconds", "double precision")
      .addColumn("reboot_required", "integer")
      .addColumn("reboot_required_age_seconds", "double precision")
      .addPrimaryKeyConstraint("patch_snapshots_pk", ["day", "host"])
      .execute();
  },
});

/** Every migration, by name. Append only. */
export const ledgerMigrations: Record<string, MigrationFactory> = {
  "0001_ledger": initialLedger,
  "0002_department_daily": departmentDaily,
  "0003_audit_reports": auditReports,
  "0004_host_status": hostStatus,
  "0005_usage_daily_vcpu_hours": usageDailyRecordedHours,
  "0006_ledger_chain": ledgerChain,
  "0007_audit_history": auditHistory,
  "0008_patch_snapshots": patchSnapshots,
  "0009_focus_costs": focusCostsMigration,
  "0010_metered_quantities": meteredQuantitiesMigration,
};

class InCodeProvider implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(
      Object.fromEntries(Object.entries(ledgerMigrations).map(([name, factory]) => [name, factory(this.dialect)])),
    );
  }
}

/** Bring the schema to the latest version; returns the names applied now (empty when already current). */
export async function migrateToLatest(db: Kysely<unknown>, dialect: Dialect): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: new InCodeProvider(dialect),
    migrationTableName: "schema_migrations",
    migrationLockTableName: "schema_migrations_lock",
    // Every migration here only adds (tables, columns, backfills) and none depends on a later one, so a
    // ledger that has run a later migration but not an earlier one (a branch that landed out of order, or
    // a ledger restored from before that migration) runs the missing one instead of refusing to open.
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error !== undefined || failed) {
    const cause = error instanceof Error ? error.message : String(error);
    throw new OperationFailedError(`database migration ${failed?.migrationName ?? ""} failed: ${cause}`, {
      cause: error,
    });
  }
  return appliedNames(results);
}

function appliedNames(results: MigrationResultSet["results"]): string[] {
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
