// cpu: seconds each CPU spent in each mode since boot. Linux reads /proc/stat; elsewhere os.cpus(),
// whose times are milliseconds (Windows has no nice or iowait, so those modes are simply absent).
import { cpus } from "node:os";
import { registerCollector } from "../collector.js";
import { counter, type MetricFamily, type Sample } from "../exposition.js";
import { fields, readProcFile } from "./procfs.js";

const help = "Seconds the CPUs spent in each mode.";
// The kernel's column order in /proc/stat; guest time is already counted in user, so it is left out.
const modes = ["user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"] as const;
/** USER_HZ: the unit of /proc/stat. It is 100 on every Linux architecture Node.js runs on. */
const userHz = 100;

export function parseProcStat(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (!/^cpu\d+ /.test(line)) continue;
    const [name = "", ...values] = fields(line);
    const cpu = name.slice(3);
    modes.forEach((mode, i) => {
      const ticks = values[i];
      if (ticks !== undefined) samples.push({ labels: { cpu, mode }, value: Number(ticks) / userHz });
    });
  }
  if (samples.length === 0) throw new Error("no per-CPU lines in /proc/stat");
  return samples;
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
        const samples = env.platform === "linux" ? parseProcStat(await readProcFile(env.procfs, "stat")) : samplesFromOsCpus(cpus());
        return [counter("muniops_cpu_seconds_total", help, samples)];
      },
    };
  },
});
