// Agentless collection: measure a host over SSH with a read-only account and answer with the same
// Prometheus exposition text the agent would serve for those metrics (the names in contracts/metrics.ts), so metering
// and Prometheus treat an appliance exactly like a server running the agent.
import { gauge, formatText, type MetricFamily, type Sample } from "../exposition.js";
import { defaultFsTypesExclude, defaultMountPointsExclude, parseMounts } from "../collectors/filesystem.js";
import { meminfoValues } from "../collectors/memory.js";
import { parseDf } from "./dfParser.js";
import { agentMetrics } from "../../contracts/metrics.js";

const separator = "@@muniops-agentless@@";

/** One exec, read-only, in the C locale so df's headers and numbers never vary. */
export const agentlessCommand = ["df -PTk", "df -PTi", "cat /proc/meminfo", "cat /proc/mounts"]
  .map((c) => `LC_ALL=C ${c} 2>/dev/null`)
  .join(`; echo ${separator}; `);

export interface AgentlessOutput {
  dfBlocks: string;
  dfInodes: string;
  meminfo: string;
  mounts: string;
}

export function splitOutput(stdout: string): AgentlessOutput {
  const [dfBlocks = "", dfInodes = "", meminfo = "", mounts = ""] = stdout.split(`${separator}\n`);
  return { dfBlocks, dfInodes, meminfo, mounts };
}

export interface FilterOptions {
  mountPointsExclude?: RegExp;
  fsTypesExclude?: RegExp;
}

/** The filesystem and memory families the agent emits, built from command output. */
export function agentlessFamilies(
  output: AgentlessOutput,
  filters: FilterOptions = {},
): { families: MetricFamily[]; filesystemOk: boolean; memoryOk: boolean } {
  const mountExclude = filters.mountPointsExclude ?? new RegExp(defaultMountPointsExclude);
  const typeExclude = filters.fsTypesExclude ?? new RegExp(defaultFsTypesExclude);
  const readonly = new Map(parseMounts(output.mounts).map((m) => [m.mountpoint, m.readonly]));
  const inodes = new Map(parseDf(output.dfInodes).map((r) => [r.mountpoint, r]));
  const rows = parseDf(output.dfBlocks).filter((r) => !mountExclude.test(r.mountpoint) && !typeExclude.test(r.fstype));

  const size: Sample[] = [];
  const free: Sample[] = [];
  const avail: Sample[] = [];
  const files: Sample[] = [];
  const filesFree: Sample[] = [];
  const ro: Sample[] = [];
  for (const row of rows) {
    const labels = { device: row.device, fstype: row.fstype, mountpoint: row.mountpoint };
    size.push({ labels, value: row.total * 1024 });
    // df's Used is blocks minus free blocks, so free (including root's reserve) is what is left of it.
    free.push({ labels, value: (row.total - row.used) * 1024 });
    avail.push({ labels, value: row.available * 1024 });
    const inode = inodes.get(row.mountpoint);
    if (inode) {
      files.push({ labels, value: inode.total });
      filesFree.push({ labels, value: inode.available });
    }
    const isReadonly = readonly.get(row.mountpoint);
    if (isReadonly !== undefined) ro.push({ labels, value: isReadonly ? 1 : 0 });
  }

  const memory = meminfoValues(output.meminfo);
  const total = memory.get("MemTotal");
  // Kernels before 3.14 have no MemAvailable; free + buffers + page cache is the classic estimate.
  const available = memory.get("MemAvailable") ?? sum(memory, ["MemFree", "Buffers", "Cached"]);

  const families: MetricFamily[] = [
    gauge(agentMetrics.filesystemSizeBytes.name, agentMetrics.filesystemSizeBytes.help, size),
    gauge(agentMetrics.filesystemFreeBytes.name, agentMetrics.filesystemFreeBytes.help, free),
    gauge(agentMetrics.filesystemAvailBytes.name, agentMetrics.filesystemAvailBytes.help, avail),
    gauge(agentMetrics.filesystemFiles.name, agentMetrics.filesystemFiles.help, files),
    gauge(agentMetrics.filesystemFilesFree.name, agentMetrics.filesystemFilesFree.help, filesFree),
    gauge(agentMetrics.filesystemReadonly.name, agentMetrics.filesystemReadonly.help, ro),
  ];
  const memoryOk = total !== undefined && available !== undefined;
  if (memoryOk) {
    families.push(
      gauge(agentMetrics.memoryTotalBytes.name, agentMetrics.memoryTotalBytes.help, [{ value: total }]),
      gauge(agentMetrics.memoryAvailableBytes.name, agentMetrics.memoryAvailableBytes.help, [{ value: available }]),
    );
  }
  return { families, filesystemOk: rows.length > 0 || parseDf(output.dfBlocks).length > 0, memoryOk };
}

function sum(values: Map<string, number>, keys: readonly string[]): number | undefined {
  let total = 0;
  for (const key of keys) {
    const value = values.get(key);
    if (value === undefined) return undefined;
    total += value;
  }
  return total;
}

/** The exposition text, with the per-collector success and duration series every agent scrape has. */
export function agentlessExposition(
  output: AgentlessOutput,
  durationSeconds: number,
  filters: FilterOptions = {},
): string {
  const { families, filesystemOk, memoryOk } = agentlessFamilies(output, filters);
  const collectors = [
    { collector: "filesystem", ok: filesystemOk },
    { collector: "memory", ok: memoryOk },
  ];
  families.push(
    gauge(
      agentMetrics.scrapeCollectorSuccess.name,
      agentMetrics.scrapeCollectorSuccess.help,
      collectors.map((c) => ({ labels: { collector: c.collector }, value: c.ok ? 1 : 0 })),
    ),
    gauge(
      agentMetrics.scrapeCollectorDurationSeconds.name,
      agentMetrics.scrapeCollectorDurationSeconds.help,
      collectors.map((c) => ({ labels: { collector: c.collector }, value: durationSeconds })),
    ),
  );
  return formatText(families.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
}
