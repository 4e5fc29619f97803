// What the dashboard's metrics read from the ledger (dashboard/server/dashboardMetrics.ts): a few aggregates
// on indexed columns, read at most once a scrape interval, never on a request's path.
import { sql } from "kysely";
import type { Ledger } from "./database.js";

export interface LedgerHealth {
  firstHour: string | undefined;
  lastHour: string | undefined;
  /** Distinct hours at or after `since` with at least one gap row. */
  gapHours: number;
  latestClosed: string | undefined;
  sizeBytes: number;
  auditRuns: { passed: number; failed: number };
}

async function sizeBytes(ledger: Ledger): Promise<number> {
  if (ledger.dialect === "postgres") {
    const { rows } = await sql<{ size: string }>`select pg_database_size(current_database()) as size`.execute(
      ledger.db,
    );
    return Number(rows[0]?.size ?? 0);
  }
  const { rows } = await sql<{ size: number }>`
    select page_count * page_size as size from pragma_page_count(), pragma_page_size()`.execute(ledger.db);
  return rows[0]?.size ?? 0;
}

export async function readLedgerHealth(ledger: Ledger, since: string): Promise<LedgerHealth> {
  const db = ledger.db;
  const span = await db
    .selectFrom("usage_hourly")
    .select((eb) => [eb.fn.min("hour").as("first"), eb.fn.max("hour").as("last")])
    .executeTakeFirst();
  const gaps = await db
    .selectFrom((eb) =>
      eb
        .selectFrom("usage_hourly")
        .select("hour")
        .distinct()
        .where("hour", ">=", since)
        .where("status", "=", "gap")
        .as("g"),
    )
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .executeTakeFirst();
  const closed = await db.selectFrom("periods").select("period").orderBy("seq", "desc").limit(1).executeTakeFirst();
  const audits = await db
    .selectFrom("audit_reports")
    .select("passed")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .groupBy("passed")
    .execute();
  const runs = { passed: 0, failed: 0 };
  for (const a of audits) runs[a.passed === 1 ? "passed" : "failed"] += Number(a.n);
  return {
    firstHour: span?.first ?? undefined,
    lastHour: span?.last ?? undefined,
    gapHours: Number(gaps?.n ?? 0),
    latestClosed: closed?.period,
    sizeBytes: await sizeBytes(ledger),
    auditRuns: runs,
  };
}
