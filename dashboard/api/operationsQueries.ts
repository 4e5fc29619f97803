// Operations read models: the latest scrape per host and availability per host this month. The ledger
// layer has no such read model yet (issue 6 records the samples and hourly `up_seconds`), so these two
// read-only queries live here; they move to data-access when the ledger part adds them there.
import { sql } from "kysely";
import type { Ledger } from "../data-access/database.js";
import type { Host } from "../data-access/records.js";
import { big } from "../data-access/schema.js";

export interface HostStatus extends Pick<Host, "name" | "department" | "service" | "environment" | "vcpus" | "memoryMib"> {
  up: boolean | null;
  lastScrape: string | null;
  fsUsedBytes: string | null;
  /** Up hours / measured hours this month, as a percentage with two decimals; null when unmeasured. */
  availability: string | null;
  measuredHours: number;
  gapHours: number;
}

export async function hostStatuses(ledger: Ledger, hosts: readonly Host[], period: string): Promise<HostStatus[]> {
  const latest = await ledger.db
    .selectFrom("scrape_samples as s")
    .innerJoin(ledger.db.selectFrom("scrape_samples").select(["host"]).select((eb) => eb.fn.max("at").as("at")).groupBy("host").as("m"), (join) => join.onRef("m.host", "=", "s.host").onRef("m.at", "=", "s.at"))
    .select(["s.host", "s.at", "s.up", "s.fs_used_bytes"])
    .execute();
  const availability = await ledger.db
    .selectFrom("usage_daily")
    .select(["subject"])
    .select([sql<string>`cast(sum(value_hours) as text)`.as("up_seconds"), sql<string>`cast(sum(hours_ok) as text)`.as("ok"), sql<string>`cast(sum(hours_gap) as text)`.as("gap")])
    .where("meter", "=", "up_seconds")
    .where("day", ">=", `${period}-01`)
    .where("day", "<=", `${period}-31`)
    .groupBy("subject")
    .execute();
  const bySample = new Map(latest.map((r) => [r.host, r]));
  const byAvailability = new Map(availability.map((r) => [r.subject, r]));
  return hosts.map((h) => {
    const sample = bySample.get(h.name);
    const avail = byAvailability.get(h.name);
    const ok = Number(avail?.ok ?? 0);
    const upSeconds = big(avail?.up_seconds ?? 0);
    return {
      name: h.name,
      department: h.department,
      service: h.service,
      environment: h.environment,
      vcpus: h.vcpus,
      memoryMib: h.memoryMib,
      up: sample ? sample.up === 1 : null,
      lastScrape: sample?.at ?? null,
      fsUsedBytes: sample?.fs_used_bytes == null ? null : big(sample.fs_used_bytes).toString(),
      availability: ok > 0 ? percent(upSeconds, BigInt(ok) * 3600n) : null,
      measuredHours: ok,
      gapHours: Number(avail?.gap ?? 0),
    };
  });
}

/** numerator/denominator as a percentage with two decimals, rounded down (never flatter the SLA). */
export function percent(numerator: bigint, denominator: bigint): string {
  const basis = (numerator * 10_000n) / denominator;
  return `${basis / 100n}.${(basis % 100n).toString().padStart(2, "0")}`;
}

export interface SlaRow {
  service: string;
  hosts: number;
  availability: string | null;
  target: string;
  met: boolean | null;
}

/** Availability per service: measured up time over measured time of all its hosts. */
export function slaByService(statuses: readonly HostStatus[], target: number): SlaRow[] {
  const groups = new Map<string, HostStatus[]>();
  for (const s of statuses) {
    const key = s.service ?? "-";
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  return [...groups]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([service, members]) => {
      let up = 0n;
      let measured = 0n;
      for (const m of members) {
        if (m.availability === null) continue;
        // availability was rounded down to 0.01 %; weigh it by the host's measured hours
        up += BigInt(Math.round(Number(m.availability) * 100)) * BigInt(m.measuredHours);
        measured += 10_000n * BigInt(m.measuredHours);
      }
      const availability = measured > 0n ? percent(up, measured) : null;
      return { service, hosts: members.length, availability, target: target.toFixed(2), met: availability === null ? null : Number(availability) >= target };
    });
}
