// loadavg: the 1, 5 and 15 minute load averages, where the OS has them (Windows has none, so there the
// collector reports nothing rather than os.loadavg()'s zeros, which would read as "idle").
import { loadavg } from "node:os";
import { registerCollector } from "../collector.js";
import { gauge, type MetricFamily } from "../exposition.js";
import { fields, readProcFile } from "./procfs.js";
import { agentMetrics } from "../../contracts/metrics.js";

export function parseLoadavg(text: string): [number, number, number] {
  const [one, five, fifteen] = fields(text).map(Number);
  if (one === undefined || five === undefined || fifteen === undefined || [one, five, fifteen].some(Number.isNaN)) {
    throw new Error(`unexpected /proc/loadavg content: ${JSON.stringify(text.slice(0, 80))}`);
  }
  return [one, five, fifteen];
}

function families([one, five, fifteen]: readonly number[]): MetricFamily[] {
  return [
    gauge(agentMetrics.load1.name, agentMetrics.load1.help, [{ value: one ?? NaN }]),
    gauge(agentMetrics.load5.name, agentMetrics.load5.help, [{ value: five ?? NaN }]),
    gauge(agentMetrics.load15.name, agentMetrics.load15.help, [{ value: fifteen ?? NaN }]),
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
