// diskstats: bytes read and written and time spent doing I/O per block device, from /proc/diskstats.
// Partitions, loop and RAM devices are excluded by default (node_exporter's default), so a disk is
// counted once. On macOS systeminformation has only machine-wide totals, and on Windows nothing
// without spawning PowerShell per scrape, so there the collector reports nothing.
import { registerCollector } from "../collector.js";
import { counter, type Sample } from "../exposition.js";
import { defineSetting, z } from "../../settings.js";
import { compilePattern, fields, readProcFile } from "./procfs.js";

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

export interface DiskCounters {
  device: string;
  readBytes: number;
  writtenBytes: number;
  ioTimeSeconds: number;
}

export function parseDiskstats(text: string): DiskCounters[] {
  const disks: DiskCounters[] = [];
  for (const line of text.split("\n")) {
    const f = fields(line);
    // major minor name reads merged sectorsRead msRead writes merged sectorsWritten msWritten inProgress msIo ...
    if (f.length < 14 || !f[2]) continue;
    disks.push({ device: f[2], readBytes: Number(f[5]) * sectorBytes, writtenBytes: Number(f[9]) * sectorBytes, ioTimeSeconds: Number(f[12]) / 1000 });
  }
  return disks;
}

registerCollector({
  id: "diskstats",
  defaultEnabled: true,
  description: "bytes read and written and I/O time per block device",
  settings,
  create(options, env) {
    const exclude = compilePattern("--collector.diskstats.device-exclude", options.deviceExclude);
    return {
      async update() {
        if (env.platform !== "linux") return [];
        const disks = parseDiskstats(await readProcFile(env.procfs, "diskstats")).filter((d) => !exclude?.test(d.device));
        const samples = (get: (d: DiskCounters) => number): Sample[] => disks.map((d) => ({ labels: { device: d.device }, value: get(d) }));
        return [
          counter("muniops_disk_read_bytes_total", "Bytes read from the device.", samples((d) => d.readBytes)),
          counter("muniops_disk_written_bytes_total", "Bytes written to the device.", samples((d) => d.writtenBytes)),
          counter("muniops_disk_io_time_seconds_total", "Seconds the device spent doing I/O.", samples((d) => d.ioTimeSeconds)),
        ];
      },
    };
  },
});
