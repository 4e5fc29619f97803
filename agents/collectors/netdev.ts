// netdev: per network interface, every counter of /proc/net/dev (bytes, packets, errors, drops, fifo,
// frame, collisions, carrier, compressed, multicast), as node_exporter's netdev collector gives.
// Elsewhere systeminformation's networkStats, cached. Like node_exporter, no device is excluded by default, and
// --collector.netdev.device-include and --collector.netdev.device-exclude cannot both be given.
import { registerCollector } from "../collector.js";
import { counter, type MetricFamily, type Sample } from "../exposition.js";
import { UsageError } from "../../errors.js";
import { defineSetting, z } from "../../settings.js";
import { Cached, systemInformation, type NetworkStatsData } from "../systemInfo.js";
import { compilePattern, fields, readProcFile } from "./procfs.js";
import { agentMetrics } from "../../contracts/metrics.js";

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

/** The 16 columns of /proc/net/dev, in the kernel's order, and the counters they become. */
export const netDevColumns = [
  { name: agentMetrics.networkReceiveBytes.name, help: agentMetrics.networkReceiveBytes.help },
  { name: "muniops_network_receive_packets_total", help: "Packets received." },
  { name: "muniops_network_receive_errors_total", help: "Receive errors detected by the driver." },
  { name: "muniops_network_receive_drops_total", help: "Received packets dropped (no buffer space, filtered, …)." },
  { name: "muniops_network_receive_fifo_errors_total", help: "Receive FIFO buffer errors." },
  { name: "muniops_network_receive_frame_errors_total", help: "Receive framing errors." },
  { name: "muniops_network_receive_compressed_packets_total", help: "Compressed packets received." },
  { name: "muniops_network_receive_multicast_packets_total", help: "Multicast packets received." },
  { name: agentMetrics.networkTransmitBytes.name, help: agentMetrics.networkTransmitBytes.help },
  { name: "muniops_network_transmit_packets_total", help: "Packets transmitted." },
  { name: "muniops_network_transmit_errors_total", help: "Transmit errors detected by the driver." },
  { name: "muniops_network_transmit_drops_total", help: "Packets dropped on transmit." },
  { name: "muniops_network_transmit_fifo_errors_total", help: "Transmit FIFO buffer errors." },
  { name: "muniops_network_transmit_collisions_total", help: "Collisions detected on the interface." },
  { name: "muniops_network_transmit_carrier_errors_total", help: "Carrier losses detected by the driver." },
  { name: "muniops_network_transmit_compressed_packets_total", help: "Compressed packets transmitted." },
] as const;

export type NetColumnName = (typeof netDevColumns)[number]["name"];

export interface NetCounters {
  device: string;
  /** By metric name; a platform that does not know a counter leaves it out. */
  values: Partial<Record<NetColumnName, number>>;
}

export function parseNetDev(text: string): NetCounters[] {
  const devices: NetCounters[] = [];
  for (const line of text.split("\n").slice(2)) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const columns = fields(line.slice(colon + 1));
    const values: NetCounters["values"] = {};
    netDevColumns.forEach((column, i) => {
      if (columns[i] !== undefined) values[column.name] = Number(columns[i]);
    });
    devices.push({ device: line.slice(0, colon).trim(), values });
  }
  return devices;
}

/** systeminformation's networkStats (Windows, macOS): bytes, errors and drops; no packet counts. */
export function countersFromNetworkStats(stats: readonly NetworkStatsData[]): NetCounters[] {
  return stats.map((s) => ({
    device: s.iface,
    values: {
      [agentMetrics.networkReceiveBytes.name]: s.rx_bytes,
      muniops_network_receive_errors_total: s.rx_errors,
      muniops_network_receive_drops_total: s.rx_dropped,
      [agentMetrics.networkTransmitBytes.name]: s.tx_bytes,
      muniops_network_transmit_errors_total: s.tx_errors,
      muniops_network_transmit_drops_total: s.tx_dropped,
    },
  }));
}

function families(devices: readonly NetCounters[], note: string): MetricFamily[] {
  return netDevColumns.map((column) => {
    const samples: Sample[] = [];
    for (const d of devices) {
      const value = d.values[column.name];
      if (value !== undefined && Number.isFinite(value)) samples.push({ labels: { device: d.device }, value });
    }
    return counter(column.name, column.help + note, samples);
  });
}

registerCollector({
  id: "netdev",
  defaultEnabled: true,
  description: "bytes, packets, errors and drops received and transmitted per network device",
  settings,
  create(options, env) {
    if (options.deviceInclude !== "" && options.deviceExclude !== "") {
      throw new UsageError(
        "--collector.netdev.device-include and --collector.netdev.device-exclude are mutually exclusive: give one",
      );
    }
    const include = compilePattern("--collector.netdev.device-include", options.deviceInclude);
    const exclude = compilePattern("--collector.netdev.device-exclude", options.deviceExclude);
    const keep = (d: NetCounters): boolean => (include ? include.test(d.device) : !exclude?.test(d.device));
    const networkStats = new Cached(async () => (await systemInformation(env.platform)).networkStats("*"), 15_000);
    return {
      async update() {
        if (env.platform === "linux")
          return families(parseNetDev(await readProcFile(env.procfs, "net/dev")).filter(keep), "");
        return families(countersFromNetworkStats(await networkStats.get()).filter(keep), " Cached for up to 15 s.");
      },
    };
  },
});
