// A host's live status from one scrape of its agent: CPU counters (busy share = 1 − Δidle/Δtotal since
// the previous scrape), memory, used bytes, and the fullest real filesystem. Pure: parsing and the rate
// are tested on fixture text; the scraper stores the result.
import type { HostSnapshot } from "../domain/records.js";
import { excludedFsTypes, usedFilesystemBytes, type ExposedSample } from "./exposition.js";
import { agentMetrics } from "../../contracts/metrics.js";

const excluded = new RegExp(`^(${excludedFsTypes})$`);
const idleModes = new Set(["idle", "iowait"]);
const toBig = (v: number | undefined): bigint | null =>
  v === undefined || !Number.isFinite(v) ? null : BigInt(Math.max(0, Math.round(v)));

function fullestFilesystem(samples: readonly ExposedSample[]): HostSnapshot["fullest"] {
  const size = new Map<string, { mountpoint: string; bytes: number }>();
  const avail = new Map<string, number>();
  for (const s of samples) {
    if (excluded.test(s.labels.fstype ?? "")) continue;
    const mountpoint = s.labels.mountpoint ?? s.labels.device ?? "";
    if (s.name === agentMetrics.filesystemSizeBytes.name) size.set(mountpoint, { mountpoint, bytes: s.value });
    else if (s.name === agentMetrics.filesystemAvailBytes.name) avail.set(mountpoint, s.value);
  }
  let fullest: HostSnapshot["fullest"] = null;
  let worst = -1;
  for (const [mountpoint, { bytes }] of size) {
    const free = avail.get(mountpoint);
    if (free === undefined || !(bytes > 0)) continue;
    const used = (bytes - free) / bytes;
    if (used > worst) {
      worst = used;
      fullest = { mountpoint, sizeBytes: toBig(bytes) ?? 0n, availBytes: toBig(free) ?? 0n };
    }
  }
  return fullest;
}

/** What one successful scrape tells about a host; the CPU busy share needs the previous scrape. */
export function snapshotFromExposition(
  host: string,
  at: string,
  samples: readonly ExposedSample[],
  previous: HostSnapshot | undefined,
): HostSnapshot {
  let cpu = 0;
  let idle = 0;
  let cpuSeen = false;
  let memoryTotal: number | undefined;
  let memoryAvailable: number | undefined;
  for (const s of samples) {
    if (s.name === agentMetrics.cpuSeconds.name && Number.isFinite(s.value)) {
      cpuSeen = true;
      cpu += s.value;
      if (idleModes.has(s.labels.mode ?? "")) idle += s.value;
    } else if (s.name === agentMetrics.memoryTotalBytes.name) memoryTotal = s.value;
    else if (s.name === agentMetrics.memoryAvailableBytes.name) memoryAvailable = s.value;
  }
  const snapshot: HostSnapshot = {
    host,
    at,
    up: true,
    cpuBusyRatio: null,
    cpuSeconds: cpuSeen ? cpu : null,
    cpuIdleSeconds: cpuSeen ? idle : null,
    memoryTotalBytes: toBig(memoryTotal),
    memoryAvailableBytes: toBig(memoryAvailable),
    fsUsedBytes: usedFilesystemBytes(samples),
    fullest: fullestFilesystem(samples),
  };
  return { ...snapshot, cpuBusyRatio: cpuBusyRatio(previous, snapshot) };
}

/** 1 − Δidle/Δtotal between two scrapes; null without a usable previous one (first scrape, counter reset). */
export function cpuBusyRatio(previous: HostSnapshot | undefined, next: HostSnapshot): number | null {
  if (
    !previous ||
    previous.cpuSeconds === null ||
    previous.cpuIdleSeconds === null ||
    next.cpuSeconds === null ||
    next.cpuIdleSeconds === null
  )
    return null;
  const total = next.cpuSeconds - previous.cpuSeconds;
  const idle = next.cpuIdleSeconds - previous.cpuIdleSeconds;
  if (!(total > 0) || idle < 0 || idle > total) return null;
  return 1 - idle / total;
}

/** A host that did not answer: down now, its last known figures kept for context. */
export function downSnapshot(host: string, at: string, previous: HostSnapshot | undefined): HostSnapshot {
  return previous
    ? { ...previous, at, up: false, cpuBusyRatio: null }
    : {
        host,
        at,
        up: false,
        cpuBusyRatio: null,
        cpuSeconds: null,
        cpuIdleSeconds: null,
        memoryTotalBytes: null,
        memoryAvailableBytes: null,
        fsUsedBytes: null,
        fullest: null,
      };
}
