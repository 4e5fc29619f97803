// pressure: pressure stall information (PSI, Linux ≥ 4.20 with CONFIG_PSI): the total time tasks waited
// for CPU, I/O and memory ("some") and the time all non-idle tasks were stalled together ("full"), as
// node_exporter's pressure collector gives. A kernel without PSI has no /proc/pressure: the collector
// then reports nothing and succeeds.
import { registerCollector } from "../collector.js";
import { counter, type MetricFamily } from "../exposition.js";
import { readProcFile } from "./procfs.js";

export const pressureResources = ["cpu", "io", "memory"] as const;
export type PressureResource = (typeof pressureResources)[number];

/** The `total=` of each line of /proc/pressure/<resource>, in seconds (the kernel counts microseconds). */
export function parsePressure(text: string): { some?: number; full?: number } {
  const result: { some?: number; full?: number } = {};
  for (const line of text.split("\n")) {
    const match = /^(some|full) .*\btotal=(\d+)/.exec(line);
    if (match?.[1] === "some" || match?.[1] === "full") result[match[1]] = Number(match[2]) / 1e6;
  }
  return result;
}

export function pressureFamilies(
  byResource: ReadonlyMap<PressureResource, { some?: number; full?: number }>,
): MetricFamily[] {
  const families: MetricFamily[] = [];
  for (const [resource, totals] of byResource) {
    if (totals.some !== undefined) {
      const help = `Seconds in which at least one task waited for ${resource}.`;
      families.push(counter(`muniops_pressure_${resource}_waiting_seconds_total`, help, [{ value: totals.some }]));
    }
    // System-wide, "full" is undefined for the CPU (newer kernels print zeros): node_exporter leaves it out too.
    if (resource !== "cpu" && totals.full !== undefined) {
      const help = `Seconds in which all non-idle tasks were stalled on ${resource} at once.`;
      families.push(counter(`muniops_pressure_${resource}_stalled_seconds_total`, help, [{ value: totals.full }]));
    }
  }
  return families;
}

registerCollector({
  id: "pressure",
  defaultEnabled: true,
  description: "pressure stall information: time waiting for CPU, I/O and memory",
  settings: {},
  create(_options, env) {
    return {
      async update() {
        if (env.platform !== "linux") return [];
        const byResource = new Map<PressureResource, { some?: number; full?: number }>();
        for (const resource of pressureResources) {
          try {
            byResource.set(resource, parsePressure(await readProcFile(env.procfs, `pressure/${resource}`)));
          } catch (error) {
            // ENOENT: no PSI in this kernel; EOPNOTSUPP: built in but switched off with psi=0.
            if (!["ENOENT", "EOPNOTSUPP"].includes((error as NodeJS.ErrnoException).code ?? "")) throw error;
          }
        }
        return pressureFamilies(byResource);
      },
    };
  },
});
