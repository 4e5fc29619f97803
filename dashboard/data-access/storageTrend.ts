// Storage use of one department per month (server disks and file shares), from the per-department daily
// rollup: Σ byte-hours and the number of days with rows, so callers can average over measured time.
import { sql } from "kysely";
import type { LedgerDb } from "./database.js";
import { big } from "./schema.js";

export interface MonthlyStorage {
  period: string;
  meter: "fs_used_bytes" | "share_used_bytes";
  valueHours: bigint;
  days: number;
}

export async function monthlyStorage(
  db: LedgerDb,
  department: string,
  fromPeriod: string,
  toPeriod: string,
): Promise<MonthlyStorage[]> {
  const rows = await db
    .selectFrom("usage_department_daily")
    .select([
      sql<string>`substr(day, 1, 7)`.as("period"),
      "meter",
      sql<string>`cast(sum(value_hours) as text)`.as("value_hours"),
      sql<string>`cast(count(distinct day) as text)`.as("days"),
    ])
    .where("department", "=", department)
    .where("meter", "in", ["fs_used_bytes", "share_used_bytes"])
    .where("day", ">=", `${fromPeriod}-01`)
    .where("day", "<=", `${toPeriod}-31`)
    .groupBy([sql`substr(day, 1, 7)`, "meter"])
    .orderBy(sql`substr(day, 1, 7)`)
    .execute();
  return rows.map((r) => ({
    period: r.period,
    meter: r.meter as MonthlyStorage["meter"],
    valueHours: big(r.value_hours),
    days: Number(r.days),
  }));
}
