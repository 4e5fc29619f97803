// Operations: the live status of each host as the page and API show it, filesystems almost full, and
// availability per host and per service against the SLA target. Availability is measured up time over
// measured time (gap hours count for neither), rounded down: a report never flatters the SLA.
import type { HostAvailability, HostRecord, HostSnapshot } from "./records.js";

/** A filesystem this full (used / size, in percent) is listed as almost full. */
export const almostFullPercent = 90;
/** A status older than this is shown as stale: the scraper has not reached the host recently. */
export const staleAfterMs = 15 * 60_000;

export interface HostStatus extends HostRecord {
  up: boolean | null;
  lastScrape: string | null;
  stale: boolean;
  cpuBusyPercent: string | null;
  memoryUsedPercent: string | null;
  fsUsedBytes: string | null;
  fullest: { mountpoint: string; usedPercent: string; sizeBytes: string; availBytes: string } | null;
  /** Up time / measured time in the month, percent with two decimals; null when unmeasured. */
  availability: string | null;
  upSeconds: string;
  measuredHours: number;
  gapHours: number;
  slaMet: boolean | null;
}

/** numerator/denominator as a percentage with two decimals, rounded down. */
export function percent(numerator: bigint, denominator: bigint): string {
  const basis = (numerator * 10_000n) / denominator;
  return `${basis / 100n}.${(basis % 100n).toString().padStart(2, "0")}`;
}

const ratioPercent = (ratio: number): string => (Math.floor(Math.min(1, Math.max(0, ratio)) * 10_000) / 100).toFixed(2);

export function meetsTarget(availability: string | null, target: number): boolean | null {
  return availability === null ? null : Number(availability) >= target;
}

export function hostStatusRows(
  hosts: readonly HostRecord[],
  snapshots: ReadonlyMap<string, HostSnapshot>,
  availability: ReadonlyMap<string, HostAvailability>,
  options: { target: number; now: number },
): HostStatus[] {
  return hosts.map((h) => {
    const s = snapshots.get(h.name);
    const a = availability.get(h.name);
    const measured = a?.measuredHours ?? 0;
    const avail = measured > 0 && a ? percent(a.upSeconds, BigInt(measured) * 3600n) : null;
    const memory =
      s?.memoryTotalBytes && s.memoryAvailableBytes !== null && s.memoryTotalBytes > 0n
        ? percent(s.memoryTotalBytes - s.memoryAvailableBytes, s.memoryTotalBytes)
        : null;
    const fullest =
      s?.fullest && s.fullest.sizeBytes > 0n
        ? {
            mountpoint: s.fullest.mountpoint,
            usedPercent: percent(s.fullest.sizeBytes - s.fullest.availBytes, s.fullest.sizeBytes),
            sizeBytes: s.fullest.sizeBytes.toString(),
            availBytes: s.fullest.availBytes.toString(),
          }
        : null;
    return {
      name: h.name,
      department: h.department,
      service: h.service,
      environment: h.environment,
      vcpus: h.vcpus,
      memoryMib: h.memoryMib,
      up: s ? s.up : null,
      lastScrape: s?.at ?? null,
      stale: s ? options.now - Date.parse(s.at) > staleAfterMs : false,
      cpuBusyPercent: s?.up && s.cpuBusyRatio !== null ? ratioPercent(s.cpuBusyRatio) : null,
      memoryUsedPercent: s?.up ? memory : null,
      fsUsedBytes: s?.fsUsedBytes == null ? null : s.fsUsedBytes.toString(),
      fullest,
      availability: avail,
      upSeconds: (a?.upSeconds ?? 0n).toString(),
      measuredHours: measured,
      gapHours: a?.gapHours ?? 0,
      slaMet: meetsTarget(avail, options.target),
    };
  });
}

/** Hosts whose fullest filesystem is at least `minPercent` used, fullest first. */
export function almostFull(statuses: readonly HostStatus[], minPercent = almostFullPercent): HostStatus[] {
  return statuses
    .filter((s) => s.fullest !== null && Number(s.fullest.usedPercent) >= minPercent)
    .sort((a, b) => Number(b.fullest?.usedPercent) - Number(a.fullest?.usedPercent) || a.name.localeCompare(b.name));
}

export interface SlaRow {
  service: string;
  hosts: number;
  availability: string | null;
  target: string;
  met: boolean | null;
  measuredHours: number;
  gapHours: number;
}

/** Availability per service: the up time of all its hosts over their measured time. */
export function slaByService(statuses: readonly HostStatus[], target: number): SlaRow[] {
  const groups = new Map<string, HostStatus[]>();
  for (const s of statuses) {
    const key = s.service ?? "-";
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  return [...groups]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([service, members]) => {
      const up = members.reduce((n, m) => n + BigInt(m.upSeconds), 0n);
      const measured = members.reduce((n, m) => n + m.measuredHours, 0);
      const availability = measured > 0 ? percent(up, BigInt(measured) * 3600n) : null;
      return {
        service,
        hosts: members.length,
        availability,
        target: target.toFixed(2),
        met: meetsTarget(availability, target),
        measuredHours: measured,
        gapHours: members.reduce((n, m) => n + m.gapHours, 0),
      };
    });
}
