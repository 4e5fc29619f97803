// diskstats: per block device, what node_exporter's diskstats collector gives from /proc/diskstats: reads
// and writes completed and merged, bytes, time reading and writing, I/O in flight, I/O time and weighted
// I/O time, and (kernels ≥ 4.18 and ≥ 5.5) discards and flushes. Partitions, loop and RAM devices are
// excluded by default (node_exporter's default), so a disk is counted once. On macOS systeminformation has
// only machine-wide totals, and on Windows nothing without spawning PowerShell per scrape, so there the
// collector reports nothing.
import { registerCollector } from "../collector.js";
import { counter, gauge, type MetricFamily, type Sample } from "../exposition.js";
import { defineSetting, z } from "../../settings.js";
import { compilePattern, fields, readProcFile } from "./procfs.js";
import { agentMetrics } from "../../contracts/metrics.js";

export const defaultDiskDeviceExclude = "^(ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\\d+n\\d+p)\\d+$";
/** /proc/diskstats counts 512-byte sectors whatever the device's real sector size. */
const sectorBytes = 512;

const settings = {
  deviceExclude: defineSetting({
    key: "agent.collector.diskstats.deviceExclude",
    type: "string",
    schema: z.string(),
    default: defaultDiskDeviceExclude,
    flag: "--collector.diskstats.device-exclude",
    description: "regular expression of block devices to leave out",
  }),
};

/** One column of /proc/diskstats (Documentation/admin-guide/iostats.rst) and the series it becomes. */
interface DiskColumn {
  /** Index among the fields after major, minor and device name. */
  index: number;
  name: string;
  help: string;
  type: "counter" | "gauge";
  /** The kernel's unit, converted to bytes and seconds. */
  unit: "count" | "sectors" | "ms";
}

export const diskColumns: readonly DiskColumn[] = [
  {
    index: 0,
    name: "muniops_disk_reads_completed_total",
    help: "Reads completed successfully.",
    type: "counter",
    unit: "count",
  },
  {
    index: 1,
    name: "muniops_disk_reads_merged_total",
    help: "Adjacent reads merged into one.",
    type: "counter",
    unit: "count",
  },
  {
    index: 2,
    name: agentMetrics.diskReadBytes.name,
    help: agentMetrics.diskReadBytes.help,
    type: "counter",
    unit: "sectors",
  },
  {
    index: 3,
    name: "muniops_disk_read_time_seconds_total",
    help: "Seconds spent by all reads.",
    type: "counter",
    unit: "ms",
  },
  {
    index: 4,
    name: "muniops_disk_writes_completed_total",
    help: "Writes completed successfully.",
    type: "counter",
    unit: "count",
  },
  {
    index: 5,
    name: "muniops_disk_writes_merged_total",
    help: "Adjacent writes merged into one.",
    type: "counter",
    unit: "count",
  },
  {
    index: 6,
    name: agentMetrics.diskWrittenBytes.name,
    help: agentMetrics.diskWrittenBytes.help,
    type: "counter",
    unit: "sectors",
  },
  {
    index: 7,
    name: "muniops_disk_write_time_seconds_total",
    help: "Seconds spent by all writes.",
    type: "counter",
    unit: "ms",
  },
  { index: 8, name: "muniops_disk_io_now", help: "I/Os currently in flight.", type: "gauge", unit: "count" },
  {
    index: 9,
    name: agentMetrics.diskIoTimeSeconds.name,
    help: agentMetrics.diskIoTimeSeconds.help,
    type: "counter",
    unit: "ms",
  },
  {
    index: 10,
    name: "muniops_disk_io_time_weighted_seconds_total",
    help: "Seconds spent doing I/O weighted by the number of I/Os in flight (queue length × time).",
    type: "counter",
    unit: "ms",
  },
  {
    index: 11,
    name: "muniops_disk_discards_completed_total",
    help: "Discards completed successfully.",
    type: "counter",
    unit: "count",
  },
  {
    index: 12,
    name: "muniops_disk_discards_merged_total",
    help: "Adjacent discards merged into one.",
    type: "counter",
    unit: "count",
  },
  {
    index: 13,
    name: "muniops_disk_discarded_sectors_total",
    help: "512-byte sectors discarded.",
    type: "counter",
    unit: "count",
  },
  {
    index: 14,
    name: "muniops_disk_discard_time_seconds_total",
    help: "Seconds spent by all discards.",
    type: "counter",
    unit: "ms",
  },
  {
    index: 15,
    name: "muniops_disk_flush_requests_total",
    help: "Flush requests completed successfully.",
    type: "counter",
    unit: "count",
  },
  {
    index: 16,
    name: "muniops_disk_flush_requests_time_seconds_total",
    help: "Seconds spent by all flush requests.",
    type: "counter",
    unit: "ms",
  },
];

export interface DiskCounters {
  device: string;
  major: string;
  minor: string;
  /** The columns after the device name, as the kernel wrote them (older kernels have fewer). */
  values: number[];
}

export function parseDiskstats(text: string): DiskCounters[] {
  const disks: DiskCounters[] = [];
  for (const line of text.split("\n")) {
    const f = fields(line);
    // major minor name, then 11 columns (kernel 2.6), 15 (4.18, discards) or 17 (5.5, flushes).
    if (f.length < 14 || !f[2]) continue;
    disks.push({ device: f[2], major: f[0] ?? "", minor: f[1] ?? "", values: f.slice(3).map(Number) });
  }
  return disks;
}

export function diskFamilies(disks: readonly DiskCounters[]): MetricFamily[] {
  // node_disk_info's device numbers (its udev-derived labels need /run/udev/data, which the agent does not read).
  const info = gauge(
    "muniops_disk_info",
    "The block device's major and minor numbers; the value is always 1.",
    disks.map((d) => ({ labels: { device: d.device, major: d.major, minor: d.minor }, value: 1 })),
  );
  return [
    info,
    ...diskColumns.map((column) => {
      const samples: Sample[] = [];
      for (const disk of disks) {
        const raw = disk.values[column.index];
        if (raw === undefined) continue;
        // Division rather than × 0.001, so 1500 ms is exactly 1.5 s.
        const value = column.unit === "ms" ? raw / 1000 : column.unit === "sectors" ? raw * sectorBytes : raw;
        samples.push({ labels: { device: disk.device }, value });
      }
      return column.type === "counter"
        ? counter(column.name, column.help, samples)
        : gauge(column.name, column.help, samples);
    }),
  ];
}

registerCollector({
  id: "diskstats",
  defaultEnabled: true,
  description: "operations, merges, bytes, time, in-flight and weighted I/O time per block device",
  settings,
  create(options, env) {
    const exclude = compilePattern("--collector.diskstats.device-exclude", options.deviceExclude);
    return {
      async update() {
        if (env.platform !== "linux") return [];
        const disks = parseDiskstats(await readProcFile(env.procfs, "diskstats"));
        return diskFamilies(disks.filter((d) => !exclude?.test(d.device)));
      },
    };
  },
});
