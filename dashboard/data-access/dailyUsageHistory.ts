// Writing daily usage rows directly, for a ledger's past that was never metered hour by hour (the demo's
// history): the rows the rollup and the hourly purge would have left behind.
import { sql } from "kysely";
import type Database from "better-sqlite3";
import { sqliteHandleOf, type Ledger, type LedgerTrx } from "./database.js";
import { refreshDepartmentDays } from "./usage.js";

/** One usage_daily row: a subject's meter on a day, with its total and its counted and missing hours. */
export interface DailyUsageRow {
  subject: string;
  meter: string;
  day: string;
  department: string | null;
  value_hours: string;
  hours_ok: number;
  hours_gap: number;
}

// 7 parameters a row: well inside SQLite's and PostgreSQL's limits per statement.
const batchSize = 1000;

async function insertDailyRows(
  trx: LedgerTrx,
  sqlite: Database.Database | undefined,
  rows: readonly DailyUsageRow[],
): Promise<void> {
  if (sqlite) {
    // Inside kysely's transaction on the same connection: one prepared statement, as recordHour does.
    const insert = sqlite.prepare(
      "insert into usage_daily (subject, meter, day, department, value_hours, hours_ok, hours_gap) values " +
        "(?, ?, ?, ?, ?, ?, ?)",
    );
    for (const r of rows)
      insert.run(r.subject, r.meter, r.day, r.department, BigInt(r.value_hours), r.hours_ok, r.hours_gap);
    return;
  }
  for (let i = 0; i < rows.length; i += batchSize)
    await trx
      .insertInto("usage_daily")
      .values(rows.slice(i, i + batchSize))
      .execute();
}

/**
 * Replaces the daily rows of each of `days` (YYYY-MM-DD) by `rowsOf(day)`, computed day by day inside one
 * transaction, then refreshes the departments' days; on SQLite, analyzes afterwards so the planner sees the rows.
 */
export async function replaceDailyUsage(
  ledger: Ledger,
  days: readonly string[],
  rowsOf: (day: string) => readonly DailyUsageRow[],
): Promise<void> {
  const sqlite = sqliteHandleOf(ledger.db);
  await ledger.db.transaction().execute(async (trx) => {
    for (const day of days) {
      const rows = rowsOf(day);
      await trx.deleteFrom("usage_daily").where("day", "=", day).execute();
      await insertDailyRows(trx, sqlite, rows);
    }
    await refreshDepartmentDays(trx, days);
  });
  // Let SQLite's planner see the new rows before the first month is priced.
  if (ledger.dialect === "sqlite") await sql`analyze`.execute(ledger.db);
}
