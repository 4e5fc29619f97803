// loadavg: the 1, 5 and 15 minute load averages, where the OS has them (Windows has none, so there the
// collector reports nothing rather than os.loadavg()'s zeros, which would read as "idle").
import { loadavg } from "node:os";
import { registerCollector } from "../collector.js";
import { gauge, type MetricFamily } from "../exposition.js";
import { fields, readProcFile } from "./procfs.js";

export function parseLoadavg(text: string): [number, number, number] {
  const [one, five, fifteen] = fields(text).map(Number);
  if (one === undefined || five === undefined || fifteen === undefined || [one, five, fifteen].some(Number.isNaN)) {
    throw new Error(`unexpected /proc/loadavg content: ${JSON.stringify(text.slice(0, 80))}`);
  }
  return [one, five, fifteen];
}

function families([one, five, fifteen]: readonly number[]): MetricFamily[] {
  return [
    gauge("muniops_load1", "1m load average.", [{ value: one ?? NaN }]),
    gauge("muniops_load5", "5m load average.", [{ value: five ?? NaN }]),
    gauge("muniops_load15", "15m load average.", [{ value: fifteen ?? NaN }]),
  ];
}

registerCollector({
  id: "loadavg",
  defaultEnabled: true,
  description: "1, 5 and 15 minute load averages",
  settings: {},
  create(_options, env) {
    return {
      async update() {
        if (env.platform === "linux") return families(parseLoadavg(await readProcFile(env.procfs, "loadavg")));
        return env.platform === "win32" ? [] : families(loadavg());
      },
    };
  },
});
