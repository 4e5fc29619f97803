// time: the system clock and the boot time, so Prometheus can alert on clock skew and spot reboots, and on
// Linux the clock sources (sysfs), as node_exporter's time collector gives. Linux reads btime from
// /proc/stat; elsewhere boot time is now minus os.uptime().
import { uptime } from "node:os";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { registerCollector, type AgentEnvironment } from "../collector.js";
import { gauge, type MetricFamily } from "../exposition.js";
import { fields, readProcFile } from "./procfs.js";
import { agentMetrics } from "../../contracts/metrics.js";

export function parseBootTime(procStat: string): number {
  const match = /^btime (\d+)$/m.exec(procStat);
  if (!match?.[1]) throw new Error("no btime line in /proc/stat");
  return Number(match[1]);
}

/** The clock sources the kernel offers and the one it uses; none on a system without that sysfs directory. */
function clocksourceFamilies(env: AgentEnvironment): MetricFamily[] {
  const directory = join(env.sysfs, "devices", "system", "clocksource", "clocksource0");
  let available: string[];
  let current: string;
  try {
    // sysfs attributes, like /proc files, are generated in memory: read synchronously (see procfs.ts).
    available = fields(readFileSync(join(directory, "available_clocksource"), "utf8")).filter((s) => s !== "");
    current = readFileSync(join(directory, "current_clocksource"), "utf8").trim();
  } catch {
    return [];
  }
  return [
    gauge("muniops_time_clocksource_available_info", "A clock source the kernel can use; the value is always 1.", [
      ...available.map((clocksource) => ({ labels: { clocksource }, value: 1 })),
    ]),
    gauge("muniops_time_clocksource_current_info", "The clock source the kernel uses; the value is always 1.", [
      { labels: { clocksource: current }, value: 1 },
    ]),
  ];
}

registerCollector({
  id: "time",
  defaultEnabled: true,
  description: "system time, boot time and clock sources",
  settings: {},
  create(_options, env) {
    return {
      async update() {
        const linux = env.platform === "linux";
        const bootTime = linux
          ? parseBootTime(await readProcFile(env.procfs, "stat"))
          : Math.round(env.now() - uptime());
        return [
          gauge(agentMetrics.timeSeconds.name, agentMetrics.timeSeconds.help, [{ value: env.now() }]),
          gauge(agentMetrics.bootTimeSeconds.name, agentMetrics.bootTimeSeconds.help, [{ value: bootTime }]),
          ...(linux ? clocksourceFamilies(env) : []),
        ];
      },
    };
  },
});
