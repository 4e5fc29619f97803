// memory: total and available memory. Linux reads /proc/meminfo (MemAvailable is the kernel's own
// estimate of what can be used without swapping); elsewhere Node's totalmem/freemem, which on Windows
// and macOS already mean "available".
import { freemem, totalmem } from "node:os";
import { registerCollector } from "../collector.js";
import { gauge, type MetricFamily } from "../exposition.js";
import { readProcFile } from "./procfs.js";

export function parseMeminfo(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split("\n")) {
    const match = /^(\w+(?:\(\w+\))?):\s+(\d+)(?: kB)?$/.exec(line.trim());
    if (match?.[1] && match[2]) values.set(match[1], Number(match[2]) * (line.trim().endsWith(" kB") ? 1024 : 1));
  }
  return values;
}

function families(total: number, available: number): MetricFamily[] {
  return [
    gauge("muniops_memory_total_bytes", "Total usable memory.", [{ value: total }]),
    gauge("muniops_memory_available_bytes", "Memory available for new work without swapping.", [{ value: available }]),
  ];
}

registerCollector({
  id: "memory",
  defaultEnabled: true,
  description: "total and available memory",
  settings: {},
  create(_options, env) {
    return {
      async update() {
        if (env.platform !== "linux") return families(totalmem(), freemem());
        const info = parseMeminfo(await readProcFile(env.procfs, "meminfo"));
        const total = info.get("MemTotal");
        const available = info.get("MemAvailable");
        if (total === undefined || available === undefined) throw new Error("MemTotal or MemAvailable missing from /proc/meminfo");
        return families(total, available);
      },
    };
  },
});
