// Hourly usage rows (one per subject, meter and hour), their daily rollup, and the purge. An hour is
// written in one transaction: it is there completely or not at all.
import { sql } from "kysely";
import type { Dialect, LedgerDb, LedgerTrx } from "./database.js";
import { lockPeriods, sqliteHandleOf } from "./database.js";
import { assertPeriodOpen } from "./periods.js";
import { big } from "./schema.js";
import type { UsageAggregate } from "../domain/records.js";

export type UsageStatus = "ok" | "gap";

export interface UsageRow {
  subject: string;
  meter: string;
  department: string | null;
  /** Null for a gap. */
  value: bigint | null;
  status: UsageStatus;
}

const upsertSql =
  `insert into usage_hourly (subject, meter, hour, department, value, status) values (?, ?, ?, ?, ?, ?)
  on conflict (subject, meter, hour) do update set value = excluded.value, status = excluded.status, ` +
  `department = excluded.department
  where usage_hourly.status = 'gap'`;

// 6 parameters a row; SQLite allows 32766 per statement, PostgreSQL 65535.
const batchSize = 2000;

/**
 * Record one hour. Rows already measured stay as they are (idempotent); a gap is replaced when the
 * source has data for it now. Refused (PeriodClosedError) when the hour's month is closed.
 */
export async function recordHour(
  db: LedgerDb,
  dialect: Dialect,
  hour: string,
  rows: readonly UsageRow[],
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await lockPeriods(trx, dialect, "shared");
    await assertPeriodOpen(trx, hour.slice(0, 7), `recording usage for ${hour}`);
    const sqlite = sqliteHandleOf(db);
    if (sqlite) {
      // Same connection, inside the transaction kysely opened: one prepared statement, run per row.
      const insert = sqlite.prepare(upsertSql);
      for (const r of rows)
        insert.run(r.subject, r.meter, hour, r.department, r.value === null ? null : r.value, r.status);
      return;
    }
    await recordHourPostgres(trx, hour, rows);
  });
}

// PostgreSQL takes an hour's rows as one array per column (unnest), in chunks: one statement and a few
// parameters per chunk instead of 6 parameters a row, which PostgreSQL had to parse and plan row by row.
const unnestChunk = 20_000;

function unnestRows(hour: string, rows: readonly UsageRow[]) {
  const values = rows.map((r) => (r.value === null ? null : r.value.toString()));
  return sql`select u.subject, u.meter, ${hour}::text, u.department, u.value, u.status
    from unnest(${rows.map((r) => r.subject)}::text[], ${rows.map((r) => r.meter)}::text[],
      ${rows.map((r) => r.department)}::text[], ${values}::bigint[], ${rows.map((r) => r.status)}::text[])
      as u(subject, meter, department, value, status)`;
}

/**
 * An hour on PostgreSQL. An hour with no rows yet (every new hour metered) is inserted plainly: the upsert's
 * speculative insertion and conflict check per row cost PostgreSQL about as much as the insert itself. A row
 * another writer committed for the hour meanwhile makes that insert fail: it is undone (savepoint) and the
 * hour goes through the upsert, as an hour that already had rows does, with the same result.
 */
async function recordHourPostgres(trx: LedgerTrx, hour: string, rows: readonly UsageRow[]): Promise<void> {
  const present = await trx
    .selectFrom("usage_hourly")
    .select("hour")
    .where("hour", "=", hour)
    .limit(1)
    .executeTakeFirst();
  if (!present) {
    await sql`savepoint record_hour`.execute(trx);
    try {
      for (let i = 0; i < rows.length; i += unnestChunk)
        await sql`insert into usage_hourly (subject, meter, hour, department, value, status)
          ${unnestRows(hour, rows.slice(i, i + unnestChunk))}`.execute(trx);
      await sql`release savepoint record_hour`.execute(trx);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== "23505") throw error; // unique_violation
      await sql`rollback to savepoint record_hour`.execute(trx);
    }
  }
  for (let i = 0; i < rows.length; i += unnestChunk)
    await sql`insert into usage_hourly (subject, meter, hour, department, value, status)
      ${unnestRows(hour, rows.slice(i, i + unnestChunk))}
      on conflict (subject, meter, hour) do update set value = excluded.value, status = excluded.status,
        department = excluded.department
      where usage_hourly.status = 'gap'`.execute(trx);
}

/**
 * Roll up the given days in one transaction. Metering calls it once per run for the days it touched
 * (a day's rollup reads all its hours, too much to repeat per hour); a close rolls up its whole month.
 */
export async function rollup(db: LedgerDb, days: Iterable<string>): Promise<void> {
  const unique = [...new Set(days)].sort();
  if (unique.length === 0) return;
  await db.transaction().execute(async (trx) => {
    // A day of 10,000 hosts is 960,000 hourly rows grouped into 40,000: in PostgreSQL's default 4 MB of
    // work_mem that aggregate spilled to disk in 5 batches (about 1.1 s, in memory 0.6 s). This transaction only.
    if (!sqliteHandleOf(db)) await sql`set local work_mem = '64MB'`.execute(trx);
    await rollupDays(trx, unique);
  });
}

/** Recompute the daily rows of `days` from their hourly rows (days whose hourly rows were purged keep theirs). */
export async function rollupDays(trx: LedgerTrx, days: readonly string[]): Promise<void> {
  for (const day of days) {
    const from = `${day}T00`;
    const to = `${day}T23`;
    const present = await trx
      .selectFrom("usage_hourly")
      .select("hour")
      .where("hour", ">=", from)
      .where("hour", "<=", to)
      .limit(1)
      .executeTakeFirst();
    if (!present) continue;
    await trx.deleteFrom("usage_daily").where("day", "=", day).execute();
    await sql`
      insert into usage_daily (subject, meter, day, department, value_hours, hours_ok, hours_gap)
      select subject, meter, ${day}, max(department),
             cast(coalesce(sum(case when status = 'ok' then value else 0 end), 0) as bigint),
             sum(case when status = 'ok' then 1 else 0 end),
             sum(case when status = 'gap' then 1 else 0 end)
      from usage_hourly where hour >= ${from} and hour <= ${to}
      group by subject, meter`.execute(trx);
    await refreshDepartmentDays(trx, [day]);
  }
}

/** Recompute the per-department totals of `days` from their daily rows (whoever wrote those). */
export async function refreshDepartmentDays(trx: LedgerTrx, days: readonly string[]): Promise<void> {
  for (const day of days) {
    await trx.deleteFrom("usage_department_daily").where("day", "=", day).execute();
    await sql`insert into usage_department_daily (department, day, meter, value_hours, hours_gap)
      select coalesce(department, ''), day, meter, cast(sum(value_hours) as bigint), sum(hours_gap)
      from usage_daily where day = ${day} group by coalesce(department, ''), day, meter`.execute(trx);
  }
}

/**
 * Usage of a month per owner, day and meter, from the daily rollup. A department's byte-hours of one day
 * pass 2^53 at ~375 TB stored, where better-sqlite3's numbers lose units (and a cent can round the other
 * way than on PostgreSQL): the total is read as text, exact on both backends.
 */
export async function usageAggregates(db: LedgerDb | LedgerTrx, period: string): Promise<UsageAggregate[]> {
  const rows = await db
    .selectFrom("usage_department_daily")
    .select(["department", "day", "meter", "hours_gap", sql<string>`cast(value_hours as text)`.as("value_hours")])
    .where("day", ">=", `${period}-01`)
    .where("day", "<=", `${period}-31`)
    .orderBy("day")
    .orderBy("meter")
    .orderBy("department")
    .execute();
  return rows.map((r) => ({
    department: r.department === "" ? null : r.department,
    day: r.day,
    meter: r.meter,
    valueHours: big(r.value_hours),
    hoursGap: r.hours_gap,
  }));
}

export interface HourlyRecord extends UsageRow {
  hour: string;
}

export async function hourlyRows(
  db: LedgerDb,
  filter: { from: string; to: string; subject?: string; meter?: string },
): Promise<HourlyRecord[]> {
  let query = db.selectFrom("usage_hourly").selectAll().where("hour", ">=", filter.from).where("hour", "<=", filter.to);
  if (filter.subject) query = query.where("subject", "=", filter.subject);
  if (filter.meter) query = query.where("meter", "=", filter.meter);
  const rows = await query.orderBy("hour").orderBy("subject").orderBy("meter").execute();
  return rows.map((r) => ({
    subject: r.subject,
    meter: r.meter,
    hour: r.hour,
    department: r.department,
    value: r.value === null ? null : big(r.value),
    status: r.status as UsageStatus,
  }));
}

/** The latest hour that has rows, and the earliest gap at or after `since`: where catch-up resumes. */
export async function meteringProgress(
  db: LedgerDb,
  since: string,
): Promise<{ lastHour: string | undefined; firstGap: string | undefined }> {
  const last = await db
    .selectFrom("usage_hourly")
    .select((eb) => eb.fn.max("hour").as("hour"))
    .executeTakeFirst();
  const gap = await db
    .selectFrom("usage_hourly")
    .select((eb) => eb.fn.min("hour").as("hour"))
    .where("status", "=", "gap")
    .where("hour", ">=", since)
    .executeTakeFirst();
  return { lastHour: last?.hour ?? undefined, firstGap: gap?.hour ?? undefined };
}

/** Delete hourly rows before `hourlyBefore` (a day) and daily rows before `dailyBefore`. */
export async function purgeUsage(
  db: LedgerDb,
  cutoffs: { hourlyBefore: string; dailyBefore: string },
): Promise<{ hourly: number; daily: number; samples: number }> {
  return db.transaction().execute(async (trx) => {
    const days = await trx
      .selectFrom("usage_hourly")
      .select(sql<string>`substr(hour, 1, 10)`.as("day"))
      .where("hour", "<", `${cutoffs.hourlyBefore}T00`)
      .distinct()
      .execute();
    // Roll up first: the daily rows are what outlives the hourly ones.
    await rollupDays(
      trx,
      days.map((d) => d.day),
    );
    const hourly = await trx
      .deleteFrom("usage_hourly")
      .where("hour", "<", `${cutoffs.hourlyBefore}T00`)
      .executeTakeFirst();
    const daily = await trx.deleteFrom("usage_daily").where("day", "<", cutoffs.dailyBefore).executeTakeFirst();
    await trx.deleteFrom("usage_department_daily").where("day", "<", cutoffs.dailyBefore).execute();
    const samples = await trx
      .deleteFrom("scrape_samples")
      .where("at", "<", `${cutoffs.hourlyBefore}T00`)
      .executeTakeFirst();
    // A metered driver's raw readings go with the scrape samples; its hourly quantities (metered_hourly) stay.
    await trx.deleteFrom("metered_samples").where("at", "<", `${cutoffs.hourlyBefore}T00`).execute();
    return {
      hourly: Number(hourly.numDeletedRows),
      daily: Number(daily.numDeletedRows),
      samples: Number(samples.numDeletedRows),
    };
  });
}

export async function recordScrapeSamples(
  db: LedgerDb,
  samples: readonly { host: string; at: string; up: number; fsUsedBytes: bigint | null }[],
): Promise<void> {
  if (samples.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < samples.length; i += batchSize) {
      await trx
        .insertInto("scrape_samples")
        .values(
          samples.slice(i, i + batchSize).map((s) => ({
            host: s.host,
            at: s.at,
            up: s.up,
            fs_used_bytes: s.fsUsedBytes === null ? null : s.fsUsedBytes.toString(),
          })),
        )
        .onConflict((oc) => oc.columns(["host", "at"]).doNothing())
        .execute();
    }
  });
}

export async function scrapeSamples(
  db: LedgerDb,
  from: string,
  to: string,
): Promise<{ host: string; at: string; up: number; fsUsedBytes: bigint | null }[]> {
  const rows = await db
    .selectFrom("scrape_samples")
    .selectAll()
    .where("at", ">=", from)
    .where("at", "<", to)
    .orderBy("at")
    .execute();
  return rows.map((r) => ({
    host: r.host,
    at: r.at,
    up: r.up,
    fsUsedBytes: r.fs_used_bytes === null ? null : big(r.fs_used_bytes),
  }));
}

/** A host of the inventory that existed in a window, with the host-hours the ledger has rows for. */
export interface HostRecordedHours {
  name: string;
  existedFrom: string;
  existedTo: string | null;
  recorded: number;
}

/**
 * The hosts that existed at some hour of [fromHour, toHour) (hour keys) of `period`, with the host-hours
 * recorded for them in the daily rollup (hourly rows may be purged). `vcpus` is the meter every metered
 * host-hour has: metering writes it from the inventory whether or not the host answered (the measured
 * meters become gaps).
 */
export async function hostsRecordedHours(
  db: LedgerDb | LedgerTrx,
  period: string,
  fromHour: string,
  toHour: string,
): Promise<HostRecordedHours[]> {
  // Each host's hours come from a range of the partial index on the `vcpus` rows (migration 0005): read
  // per host along it, not the month aggregated whole and grouped. The literal 'vcpus' (not a parameter)
  // is what lets both SQLite and PostgreSQL match that index. Computed once per host, in the select list:
  // filtering on it in SQL as well made both databases evaluate it twice.
  const recorded = sql<number | string>`coalesce((select sum(d.hours_ok + d.hours_gap) from usage_daily d
    where d.subject = h.name and d.meter = 'vcpus' and d.day >= ${`${period}-01`} and d.day <= ${`${period}-31`}), 0)`;
  const rows = await db
    .selectFrom("hosts as h")
    .select(["h.name", "h.existed_from", "h.existed_to", recorded.as("recorded")])
    .where("h.existed_from", "<", toHour)
    .where((eb) => eb.or([eb("h.existed_to", "is", null), eb("h.existed_to", ">", fromHour)]))
    .orderBy("h.name")
    .execute();
  return rows.map((r) => ({
    name: r.name,
    existedFrom: r.existed_from,
    existedTo: r.existed_to,
    recorded: Number(r.recorded),
  }));
}
