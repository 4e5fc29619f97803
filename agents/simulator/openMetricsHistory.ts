// The fleet's past as an OpenMetrics file for `promtool tsdb create-blocks-from openmetrics`: what
// Prometheus would have scraped from the simulated hosts, one sample per hour (at half past, so each
// sample falls inside the hour metering asks about), with the target labels file_sd attaches. Only the
// series metering and the operations pages read are written; the live scrape brings the rest.
// Optionally the last minutes before start-up are written at scrape density too: rate() over [5m] (the
// operations page's CPU busy) needs two samples in its window, which hourly history never gives.
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { agentMetrics, openMetricsFamilyName } from "../../contracts/metrics.js";
import { agentJobName } from "../prometheusConfig.js";
import type { FleetModel, HostProfile } from "./fleetModel.js";
import { cpuModeSeconds } from "./simulatedMetrics.js";

const hourMs = 3_600_000;

interface HistorySeries {
  family: string;
  type: "gauge" | "counter";
  /** Label sets and values of this family for a host at t; the host is up unless the family is `up`. */
  samples(p: HostProfile, tMs: number): { name: string; labels: Record<string, string>; value: number }[];
}

function seriesOf(model: FleetModel): HistorySeries[] {
  const fsBytes = { size: agentMetrics.filesystemSizeBytes, free: agentMetrics.filesystemFreeBytes };
  const { memoryTotalBytes: memoryTotal, memoryAvailableBytes: memoryAvailable, simulated } = agentMetrics;
  return [
    { family: "up", type: "gauge", samples: (p, t) => [{ name: "up", labels: {}, value: model.isUp(p, t) ? 1 : 0 }] },
    ...(["size", "free"] as const).map((kind) => ({
      family: fsBytes[kind].name,
      type: "gauge" as const,
      samples: (p: HostProfile, t: number) =>
        p.filesystems.map((fs) => ({
          name: fsBytes[kind].name,
          labels: { device: fs.device, fstype: fs.fstype, mountpoint: fs.mountpoint },
          value: kind === "size" ? fs.sizeBytes : fs.sizeBytes - model.usedBytes(fs, t),
        })),
    })),
    {
      family: memoryTotal.name,
      type: "gauge",
      samples: (p) => [{ name: memoryTotal.name, labels: {}, value: p.host.memoryGiB * 1024 ** 3 }],
    },
    {
      family: memoryAvailable.name,
      type: "gauge",
      samples: (p, t) => [{ name: memoryAvailable.name, labels: {}, value: model.memoryAvailableBytes(p, t) }],
    },
    {
      family: openMetricsFamilyName(agentMetrics.cpuSeconds),
      type: "counter",
      // the modes the busy share reads, exactly as the simulator serves them live
      samples: (p, t) =>
        cpuModeSeconds(model, p, t).flatMap((s) =>
          s.labels?.mode === "idle" || s.labels?.mode === "iowait"
            ? [{ name: agentMetrics.cpuSeconds.name, labels: { ...s.labels }, value: s.value }]
            : [],
        ),
    },
    { family: simulated.name, type: "gauge", samples: () => [{ name: simulated.name, labels: {}, value: 1 }] },
  ];
}

export function targetLabels(p: HostProfile): Record<string, string> {
  const h = p.host;
  return {
    job: agentJobName,
    instance: h.name,
    host: h.name,
    department: h.department,
    service: h.service,
    role: h.role,
    environment: h.environment,
  };
}

const formatLabels = (labels: Record<string, string>): string =>
  Object.entries(labels)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`)
    .join(",");

/** The last minutes before `untilMs`, one sample every `stepMs`, after the hourly history. */
export interface RecentHistory {
  untilMs: number;
  spanMs: number;
  stepMs: number;
}

/** Sample times: each hour's half past in [fromMs, toMs), then the recent ones that come later. */
export function historyTimes(fromMs: number, toMs: number, recent?: RecentHistory): number[] {
  const times: number[] = [];
  for (let hour = fromMs; hour < toMs; hour += hourMs) times.push(hour + hourMs / 2);
  if (recent) {
    const last = times.at(-1) ?? -Infinity;
    for (let t = recent.untilMs - recent.spanMs; t <= recent.untilMs; t += recent.stepMs)
      if (t > last) times.push(Math.round(t));
  }
  return times;
}

/**
 * Write hours [fromMs, toMs) (hour boundaries) of every host to `path`, and `recent` minutes if given.
 * OpenMetrics wants each family in one block and each series in time order, so the loops run family →
 * host → time. Returns the sample count.
 */
export async function writeOpenMetricsHistory(
  model: FleetModel,
  path: string,
  fromMs: number,
  toMs: number,
  recent?: RecentHistory,
): Promise<number> {
  const times = historyTimes(fromMs, toMs, recent);
  const out = createWriteStream(path);
  let count = 0;
  let buffer: string[] = [];
  const flush = async (): Promise<void> => {
    if (buffer.length === 0) return;
    const chunk = buffer.join("");
    buffer = [];
    if (!out.write(chunk)) await once(out, "drain");
  };
  const profiles = model.hostNames().flatMap((name) => model.profile(name) ?? []);
  for (const series of seriesOf(model)) {
    buffer.push(`# TYPE ${series.family} ${series.type}\n`);
    for (const p of profiles) {
      const target = targetLabels(p);
      // One label set per series, its samples in time order.
      const bySeries = new Map<string, string[]>();
      for (const t of times) {
        if (series.family !== "up" && !model.isUp(p, t)) continue;
        for (const s of series.samples(p, t)) {
          const key = `${s.name}{${formatLabels({ ...target, ...s.labels })}}`;
          const lines = bySeries.get(key) ?? [];
          lines.push(`${key} ${s.value} ${t / 1000}\n`);
          bySeries.set(key, lines);
          count++;
        }
      }
      for (const lines of bySeries.values()) buffer.push(...lines);
      await flush();
    }
  }
  buffer.push("# EOF\n");
  await flush();
  out.end();
  await once(out, "close");
  return count;
}
