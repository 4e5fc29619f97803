// Live status per host from a PromQL HTTP API (Prometheus mode has no scrapes of its own): instant
// queries for up and its scrape time, CPU busy over the last 5 minutes, memory, used bytes and each real
// filesystem (the fullest is picked here, where the mount point is still known).
import type { HostSnapshot } from "../domain/records.js";
import { excludedFsTypes } from "./exposition.js";
import { instantQuery, type VectorSample } from "./promqlInstant.js";
import { agentMetrics } from "../../contracts/metrics.js";

const fs = `fstype!~"${excludedFsTypes}"`;
export const statusQueries = {
  up: `max by (host) (up{host!=""})`,
  scrapedAt: `max by (host) (timestamp(up{host!=""}))`,
  cpuBusy: `1 - avg by (host) (sum by (host, cpu) (rate(${agentMetrics.cpuSeconds.name}{mode=~"idle|iowait"}[5m])))`,
  memoryTotal: `max by (host) (${agentMetrics.memoryTotalBytes.name})`,
  memoryAvailable: `max by (host) (${agentMetrics.memoryAvailableBytes.name})`,
  fsSize: `max by (host, mountpoint) (${agentMetrics.filesystemSizeBytes.name}{${fs}})`,
  fsAvail: `max by (host, mountpoint) (${agentMetrics.filesystemAvailBytes.name}{${fs}})`,
  fsUsed:
    `sum by (host) (max by (host, device) (${agentMetrics.filesystemSizeBytes.name}{${fs}} - ` +
    `${agentMetrics.filesystemFreeBytes.name}{${fs}}))`,
} as const;

const whole = (v: number): bigint => BigInt(Math.max(0, Math.round(v)));

export async function promqlHostStatus(
  baseUrl: string,
  options: { timeoutMs: number; fetch?: typeof fetch },
): Promise<HostSnapshot[]> {
  const query = (promql: string): Promise<VectorSample[]> => instantQuery(baseUrl, promql, options, "status");
  const names = Object.keys(statusQueries) as (keyof typeof statusQueries)[];
  const results = await Promise.all(names.map((n) => query(statusQueries[n])));
  const series = Object.fromEntries(names.map((n, i) => [n, results[i] ?? []])) as Record<
    keyof typeof statusQueries,
    VectorSample[]
  >;
  const perHost = (samples: VectorSample[]): Map<string, number> =>
    new Map(
      samples
        .filter((s) => s.metric.host && Number.isFinite(Number(s.value[1])))
        .map((s) => [s.metric.host ?? "", Number(s.value[1])]),
    );
  const [up, scrapedAt, cpuBusy, memoryTotal, memoryAvailable, fsUsed] = [
    series.up,
    series.scrapedAt,
    series.cpuBusy,
    series.memoryTotal,
    series.memoryAvailable,
    series.fsUsed,
  ].map(perHost);
  const fullest = new Map<string, HostSnapshot["fullest"] & object>();
  const avail = new Map(
    series.fsAvail.map((s) => [`${s.metric.host ?? ""}\u0000${s.metric.mountpoint ?? ""}`, Number(s.value[1])]),
  );
  for (const s of series.fsSize) {
    const host = s.metric.host;
    const mountpoint = s.metric.mountpoint ?? "";
    const size = Number(s.value[1]);
    const free = avail.get(`${host ?? ""}\u0000${mountpoint}`);
    if (!host || free === undefined || !(size > 0)) continue;
    const current = fullest.get(host);
    if (!current || (size - free) / size > Number(current.sizeBytes - current.availBytes) / Number(current.sizeBytes))
      fullest.set(host, { mountpoint, sizeBytes: whole(size), availBytes: whole(free) });
  }
  return [...(up ?? new Map<string, number>())].map(([host, value]) => {
    const isUp = value >= 1;
    const busy = cpuBusy?.get(host);
    const total = memoryTotal?.get(host);
    const available = memoryAvailable?.get(host);
    const used = fsUsed?.get(host);
    const at = scrapedAt?.get(host);
    return {
      host,
      at: new Date(at === undefined ? Date.now() : at * 1000).toISOString(),
      up: isUp,
      cpuBusyRatio: isUp && busy !== undefined ? Math.min(1, Math.max(0, busy)) : null,
      cpuSeconds: null,
      cpuIdleSeconds: null,
      memoryTotalBytes: total === undefined ? null : whole(total),
      memoryAvailableBytes: available === undefined ? null : whole(available),
      fsUsedBytes: used === undefined ? null : whole(used),
      fullest: fullest.get(host) ?? null,
    };
  });
}
