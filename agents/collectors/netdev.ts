// netdev: bytes received and transmitted per network interface. Linux reads /proc/net/dev; elsewhere
// systeminformation's networkStats, cached. Like node_exporter, no device is excluded by default, and
// --collector.netdev.device-include and --collector.netdev.device-exclude cannot both be given.
import { registerCollector } from "../collector.js";
import { counter, type MetricFamily } from "../exposition.js";
import { UsageError } from "../../errors.js";
import { defineSetting, z } from "../../settings.js";
import { Cached, systemInformation, type NetworkStatsData } from "../systemInfo.js";
import { compilePattern, fields, readProcFile } from "./procfs.js";

const settings = {
  deviceInclude: defineSetting({
    key: "agent.collector.netdev.deviceInclude",
    type: "string",
    schema: z.string(),
    default: "",
    flag: "--collector.netdev.device-include",
    description: "regular expression of network devices to report (all when empty)",
  }),
  deviceExclude: defineSetting({
    key: "agent.collector.netdev.deviceExclude",
    type: "string",
    schema: z.string(),
    default: "",
    flag: "--collector.netdev.device-exclude",
    description: "regular expression of network devices to leave out",
  }),
};

export interface NetCounters {
  device: string;
  receiveBytes: number;
  transmitBytes: number;
}

export function parseNetDev(text: string): NetCounters[] {
  const devices: NetCounters[] = [];
  for (const line of text.split("\n").slice(2)) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const values = fields(line.slice(colon + 1));
    devices.push({ device: line.slice(0, colon).trim(), receiveBytes: Number(values[0]), transmitBytes: Number(values[8]) });
  }
  return devices;
}

export function countersFromNetworkStats(stats: readonly NetworkStatsData[]): NetCounters[] {
  return stats.map((s) => ({ device: s.iface, receiveBytes: s.rx_bytes, transmitBytes: s.tx_bytes }));
}

function families(devices: readonly NetCounters[], note: string): MetricFamily[] {
  return [
    counter("muniops_network_receive_bytes_total", "Bytes received by the network device." + note, devices.map((d) => ({ labels: { device: d.device }, value: d.receiveBytes }))),
    counter("muniops_network_transmit_bytes_total", "Bytes transmitted by the network device." + note, devices.map((d) => ({ labels: { device: d.device }, value: d.transmitBytes }))),
  ];
}

registerCollector({
  id: "netdev",
  defaultEnabled: true,
  description: "bytes received and transmitted per network device",
  settings,
  create(options, env) {
    if (options.deviceInclude !== "" && options.deviceExclude !== "") {
      throw new UsageError("--collector.netdev.device-include and --collector.netdev.device-exclude are mutually exclusive: give one");
    }
    const include = compilePattern("--collector.netdev.device-include", options.deviceInclude);
    const exclude = compilePattern("--collector.netdev.device-exclude", options.deviceExclude);
    const keep = (d: NetCounters): boolean => (include ? include.test(d.device) : !exclude?.test(d.device));
    const networkStats = new Cached(async () => (await systemInformation(env.platform)).networkStats("*"), 15_000);
    return {
      async update() {
        if (env.platform === "linux") return families(parseNetDev(await readProcFile(env.procfs, "net/dev")).filter(keep), "");
        return families(countersFromNetworkStats(await networkStats.get()).filter(keep), " Cached for up to 15 s.");
      },
    };
  },
});
