// The metered shared-cost driver's measurements (issue 18): the quantity a counter with a department label
// measured per hour and department (metering writes it in both modes), and in embedded mode the raw counter
// readings of each scrape it is computed from. Quantities are in thousandths of a unit (meteredQuantity.ts).
import { sql, type Kysely } from "kysely";
import type { Dialect, LedgerDb, LedgerTrx } from "./database.js";
import { lockPeriods } from "./database.js";
import type { MigrationFactory } from "./migrations.js";
import { assertPeriodOpen } from "./periods.js";
import { big } from "./schema.js";

/**
 * Migration 0010: the `metric` a cost item with `driver: metered` is split by, the hourly quantities per
 * department and, for embedded mode, the scraped readings of labelled counters.
 */
export const meteredQuantitiesMigration: MigrationFactory = () => ({
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable("cost_items").addColumn("metric", "text").execute();
    await db.schema
      .createTable("metered_hourly")
      .addColumn("metric", "text", (c) => c.notNull())
      .addColumn("hour", "text", (c) => c.notNull())
      .addColumn("department", "text", (c) => c.notNull())
      .addColumn("quantity_milli", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("metered_hourly_pk", ["metric", "hour", "department"])
      .execute();
    await db.schema
      .createTable("metered_samples")
      .addColumn("host", "text", (c) => c.notNull())
      .addColumn("at", "text", (c) => c.notNull())
      .addColumn("metric", "text", (c) => c.notNull())
      .addColumn("labels", "text", (c) => c.notNull())
      .addColumn("value", "double precision", (c) => c.notNull())
      .addPrimaryKeyConstraint("metered_samples_pk", ["host", "at", "metric", "labels"])
      .execute();
    await db.schema.createIndex("metered_samples_at").on("metered_samples").columns(["metric", "at"]).execute();
  },
});

export interface MeteredRow {
  metric: string;
  hour: string;
  department: string;
  /** Thousandths of a unit. */
  quantityMilli: bigint;
}

const batchSize = 1000;

/**
 * Record measured quantities: for each metric, the rows replace what the ledger had over the hours from
 * the rows' first to their last hour. Refused (PeriodClosedError) when one of those months is closed.
 */
export async function recordMeteredQuantities(
  db: LedgerDb,
  dialect: Dialect,
  rows: readonly MeteredRow[],
): Promise<void> {
  if (rows.length === 0) return;
  await db.transaction().execute(async (trx) => {
    await lockPeriods(trx, dialect, "shared");
    for (const month of new Set(rows.map((r) => r.hour.slice(0, 7))))
      await assertPeriodOpen(trx, month, `recording metered quantities for ${month}`);
    for (const metric of new Set(rows.map((r) => r.metric))) {
      const hours = rows.filter((r) => r.metric === metric).map((r) => r.hour);
      const first = hours.reduce((a, b) => (a < b ? a : b));
      const last = hours.reduce((a, b) => (a > b ? a : b));
      await trx
        .deleteFrom("metered_hourly")
        .where("metric", "=", metric)
        .where("hour", ">=", first)
        .where("hour", "<=", last)
        .execute();
    }
    for (let i = 0; i < rows.length; i += batchSize)
      await trx
        .insertInto("metered_hourly")
        .values(
          rows.slice(i, i + batchSize).map((r) => ({
            metric: r.metric,
            hour: r.hour,
            department: r.department,
            quantity_milli: r.quantityMilli.toString(),
          })),
        )
        .execute();
  });
}

/** A month's measured quantity per metric and department (thousandths of a unit). */
export async function meteredQuantitiesFor(
  db: LedgerDb | LedgerTrx,
  period: string,
): Promise<Map<string, Map<string, bigint>>> {
  const rows = await db
    .selectFrom("metered_hourly")
    .select(["metric", "department", sql<string | number | bigint>`sum(quantity_milli)`.as("quantity")])
    .where("hour", ">=", `${period}-01T00`)
    .where("hour", "<=", `${period}-31T23`)
    .groupBy(["metric", "department"])
    .orderBy("metric")
    .orderBy("department")
    .execute();
  const result = new Map<string, Map<string, bigint>>();
  for (const r of rows) {
    const perDepartment = result.get(r.metric) ?? new Map<string, bigint>();
    perDepartment.set(r.department, big(r.quantity));
    result.set(r.metric, perDepartment);
  }
  return result;
}

/** The counters metering measures: those a cost item with the metered driver is split by. */
export async function meteredMetricsInUse(db: LedgerDb | LedgerTrx): Promise<string[]> {
  const rows = await db
    .selectFrom("cost_items")
    .select("metric")
    .distinct()
    .where("driver", "=", "metered")
    .where("metric", "is not", null)
    .orderBy("metric")
    .execute();
  return rows.flatMap((r) => (r.metric === null ? [] : [r.metric]));
}

export interface MeteredSample {
  host: string;
  /** ISO 8601 instant of the scrape. */
  at: string;
  metric: string;
  labels: Record<string, string>;
  value: number;
}

const labelsText = (labels: Record<string, string>): string =>
  JSON.stringify(Object.fromEntries(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b))));

export async function recordMeteredSamples(db: LedgerDb, samples: readonly MeteredSample[]): Promise<void> {
  if (samples.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < samples.length; i += batchSize)
      await trx
        .insertInto("metered_samples")
        .values(
          samples.slice(i, i + batchSize).map((s) => ({
            host: s.host,
            at: s.at,
            metric: s.metric,
            labels: labelsText(s.labels),
            value: s.value,
          })),
        )
        .onConflict((oc) => oc.columns(["host", "at", "metric", "labels"]).doNothing())
        .execute();
  });
}

/** The readings of `metrics` scraped in [from, to] (ISO instants), oldest first. */
export async function meteredSamples(
  db: LedgerDb | LedgerTrx,
  metrics: readonly string[],
  from: string,
  to: string,
): Promise<MeteredSample[]> {
  if (metrics.length === 0) return [];
  const rows = await db
    .selectFrom("metered_samples")
    .selectAll()
    .where("metric", "in", metrics)
    .where("at", ">=", from)
    .where("at", "<=", to)
    .orderBy("at")
    .execute();
  return rows.map((r) => ({
    host: r.host,
    at: r.at,
    metric: r.metric,
    labels: JSON.parse(r.labels) as Record<string, string>,
    value: r.value,
  }));
}
