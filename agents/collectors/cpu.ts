// cpu: seconds each CPU spent in each mode since boot. Linux reads /proc/stat; elsewhere os.cpus(),
// whose times are milliseconds (Windows has no nice or iowait, so those modes are simply absent).
import { cpus } from "node:os";
import { registerCollector } from "../collector.js";
import { counter, type MetricFamily, type Sample } from "../exposition.js";
import { fields, readProcFile } from "./procfs.js";
import { agentMetrics } from "../../contracts/metrics.js";

// The kernel's column order in /proc/stat; guest time is already counted in user, so it is left out.
const modes = ["user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"] as const;
/** USER_HZ: the unit of /proc/stat. It is 100 on every Linux architecture Node.js runs on. */
const userHz = 100;

/** Columns 9 and 10 (Linux ≥ 2.6.24 and 2.6.33): time running virtual CPUs for guests, in user and nice mode. */
const guestModes = ["user", "nice"] as const;

export function parseProcStat(text: string): Sample[] {
  return parseCpuTimes(text).modes;
}

/** Per CPU: seconds in each mode, and (node_cpu_guest_seconds_total's) seconds spent running guests. */
export function parseCpuTimes(text: string): { modes: Sample[]; guest: Sample[] } {
  const samples: Sample[] = [];
  const guest: Sample[] = [];
  for (const line of text.split("\n")) {
    if (!/^cpu\d+ /.test(line)) continue;
    const [name = "", ...values] = fields(line);
    const cpu = name.slice(3);
    modes.forEach((mode, i) => {
      const ticks = values[i];
      if (ticks !== undefined) samples.push({ labels: { cpu, mode }, value: Number(ticks) / userHz });
    });
    guestModes.forEach((mode, i) => {
      const ticks = values[modes.length + i];
      if (ticks !== undefined) guest.push({ labels: { cpu, mode }, value: Number(ticks) / userHz });
    });
  }
  if (samples.length === 0) throw new Error("no per-CPU lines in /proc/stat");
  return { modes: samples, guest };
}

export function samplesFromOsCpus(list: ReturnType<typeof cpus>): Sample[] {
  return list.flatMap((cpu, i) => {
    const t = cpu.times;
    const byMode: Record<string, number> = { user: t.user, nice: t.nice, system: t.sys, idle: t.idle, irq: t.irq };
    return Object.entries(byMode).map(([mode, ms]) => ({ labels: { cpu: String(i), mode }, value: ms / 1000 }));
  });
}

registerCollector({
  id: "cpu",
  defaultEnabled: true,
  description: "seconds each CPU spent in each mode",
  settings: {},
  create(_options, env) {
    return {
      async update(): Promise<MetricFamily[]> {
        if (env.platform !== "linux")
          return [counter(agentMetrics.cpuSeconds.name, agentMetrics.cpuSeconds.help, samplesFromOsCpus(cpus()))];
        const { modes: samples, guest } = parseCpuTimes(await readProcFile(env.procfs, "stat"));
        const guestHelp = "Seconds the CPUs spent running virtual CPUs for guests (also counted in user and nice).";
        return [
          counter(agentMetrics.cpuSeconds.name, agentMetrics.cpuSeconds.help, samples),
          counter("muniops_cpu_guest_seconds_total", guestHelp, guest),
        ];
      },
    };
  },
});
