// time: the system clock and the boot time, so Prometheus can alert on clock skew and spot reboots.
// Linux reads btime from /proc/stat; elsewhere boot time is now minus os.uptime().
import { uptime } from "node:os";
import { registerCollector } from "../collector.js";
import { gauge } from "../exposition.js";
import { readProcFile } from "./procfs.js";

export function parseBootTime(procStat: string): number {
  const match = /^btime (\d+)$/m.exec(procStat);
  if (!match?.[1]) throw new Error("no btime line in /proc/stat");
  return Number(match[1]);
}

registerCollector({
  id: "time",
  defaultEnabled: true,
  description: "system time and boot time",
  settings: {},
  create(_options, env) {
    return {
      async update() {
        const bootTime = env.platform === "linux" ? parseBootTime(await readProcFile(env.procfs, "stat")) : Math.round(env.now() - uptime());
        return [
          gauge("muniops_time_seconds", "System time in seconds since the epoch.", [{ value: env.now() }]),
          gauge("muniops_boot_time_seconds", "Boot time in seconds since the epoch.", [{ value: bootTime }]),
        ];
      },
    };
  },
});
