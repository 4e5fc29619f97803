// Operations read models and the live-status writer: each host's latest status (up, CPU busy, memory,
// fullest filesystem, last scrape), kept one row per host by the scraper, and each host's measured
// availability in a month from the usage ledger's `up_seconds` rollup.
import { sql } from "kysely";
import type { LedgerDb } from "./database.js";
import type { HostAvailability, HostSnapshot } from "../domain/records.js";
import { big } from "./schema.js";

const text = (v: bigint | null): string | null => (v === null ? null : v.toString());
const bigOrNull = (v: number | string | bigint | null): bigint | null => (v === null ? null : big(v));

/** Replace the status rows of the given hosts (a host that did not answer keeps its last figures, marked down). */
export async function saveHostSnapshots(db: LedgerDb, snapshots: readonly HostSnapshot[]): Promise<void> {
  if (snapshots.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < snapshots.length; i += 500) {
      const values = snapshots.slice(i, i + 500).map((s) => ({
        host: s.host,
        at: s.at,
        up: s.up ? 1 : 0,
        cpu_busy_ratio: s.cpuBusyRatio,
        cpu_seconds: s.cpuSeconds,
        cpu_idle_seconds: s.cpuIdleSeconds,
        memory_total_bytes: text(s.memoryTotalBytes),
        memory_available_bytes: text(s.memoryAvailableBytes),
        fs_used_bytes: text(s.fsUsedBytes),
        fullest_mountpoint: s.fullest?.mountpoint ?? null,
        fullest_size_bytes: text(s.fullest?.sizeBytes ?? null),
        fullest_avail_bytes: text(s.fullest?.availBytes ?? null),
      }));
      await trx
        .insertInto("host_status")
        .values(values)
        .onConflict((oc) =>
          oc.column("host").doUpdateSet((eb) => ({
            at: eb.ref("excluded.at"),
            up: eb.ref("excluded.up"),
            cpu_busy_ratio: eb.ref("excluded.cpu_busy_ratio"),
            cpu_seconds: eb.ref("excluded.cpu_seconds"),
            cpu_idle_seconds: eb.ref("excluded.cpu_idle_seconds"),
            memory_total_bytes: eb.ref("excluded.memory_total_bytes"),
            memory_available_bytes: eb.ref("excluded.memory_available_bytes"),
            fs_used_bytes: eb.ref("excluded.fs_used_bytes"),
            fullest_mountpoint: eb.ref("excluded.fullest_mountpoint"),
            fullest_size_bytes: eb.ref("excluded.fullest_size_bytes"),
            fullest_avail_bytes: eb.ref("excluded.fullest_avail_bytes"),
          })),
        )
        .execute();
    }
  });
}

/** The stored status of every host, by name. */
export async function hostSnapshots(db: LedgerDb, hosts?: readonly string[]): Promise<Map<string, HostSnapshot>> {
  let query = db.selectFrom("host_status").selectAll();
  if (hosts) {
    if (hosts.length === 0) return new Map();
    if (hosts.length <= 500) query = query.where("host", "in", hosts);
  }
  const rows = await query.execute();
  return new Map(
    rows.map((r) => [
      r.host,
      {
        host: r.host,
        at: r.at,
        up: r.up === 1,
        cpuBusyRatio: r.cpu_busy_ratio,
        cpuSeconds: r.cpu_seconds,
        cpuIdleSeconds: r.cpu_idle_seconds,
        memoryTotalBytes: bigOrNull(r.memory_total_bytes),
        memoryAvailableBytes: bigOrNull(r.memory_available_bytes),
        fsUsedBytes: bigOrNull(r.fs_used_bytes),
        fullest:
          r.fullest_mountpoint === null || r.fullest_size_bytes === null
            ? null
            : {
                mountpoint: r.fullest_mountpoint,
                sizeBytes: big(r.fullest_size_bytes),
                availBytes: big(r.fullest_avail_bytes),
              },
      },
    ]),
  );
}

/** Measured availability of every host in `period`, from the daily `up_seconds` rollup. */
export async function monthlyAvailability(db: LedgerDb, period: string): Promise<Map<string, HostAvailability>> {
  const rows = await db
    .selectFrom("usage_daily")
    .select(["subject"])
    .select([
      sql<string>`cast(sum(value_hours) as text)`.as("up_seconds"),
      sql<string>`cast(sum(hours_ok) as text)`.as("ok"),
      sql<string>`cast(sum(hours_gap) as text)`.as("gap"),
    ])
    .where("meter", "=", "up_seconds")
    .where("day", ">=", `${period}-01`)
    .where("day", "<=", `${period}-31`)
    .groupBy("subject")
    .execute();
  return new Map(
    rows.map((r) => [
      r.subject,
      { upSeconds: big(r.up_seconds), measuredHours: Number(r.ok), gapHours: Number(r.gap) },
    ]),
  );
}
