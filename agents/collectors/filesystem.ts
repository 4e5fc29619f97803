// filesystem: size, free and available bytes, inodes and read-only state of each mounted filesystem.
// Linux reads the mount table under --path.procfs and calls statfs (no `df`); elsewhere systeminformation's
// fsSize, cached. A statfs on a dead network mount can block for minutes: such a mount is skipped after
// --collector.filesystem.mount-timeout, and not statted again until that call returns.
import type { StatsFs } from "node:fs";
import { statfs } from "node:fs/promises";
import { join } from "node:path";
import { registerCollector } from "../collector.js";
import { gauge, type MetricFamily, type Sample } from "../exposition.js";
import { defineSetting, z } from "../../settings.js";
import { logger } from "../../logger.js";
import { Cached, systemInformation, type FsSizeData } from "../systemInfo.js";
import { compilePattern, fields, readProcFile } from "./procfs.js";
import { agentMetrics } from "../../contracts/metrics.js";

// node_exporter 1.5's Linux defaults.
export const defaultMountPointsExclude =
  "^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)";
export const defaultFsTypesExclude =
  "^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|" +
  "overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|sysfs|tracefs)$";

const settings = {
  mountPointsExclude: defineSetting({
    key: "agent.collector.filesystem.mountPointsExclude",
    type: "string",
    schema: z.string(),
    default: defaultMountPointsExclude,
    flag: "--collector.filesystem.mount-points-exclude",
    description: "regular expression of mount points to leave out",
  }),
  fsTypesExclude: defineSetting({
    key: "agent.collector.filesystem.fsTypesExclude",
    type: "string",
    schema: z.string(),
    default: defaultFsTypesExclude,
    flag: "--collector.filesystem.fs-types-exclude",
    description: "regular expression of filesystem types to leave out",
  }),
  mountTimeout: defineSetting({
    key: "agent.collector.filesystem.mountTimeout",
    type: "number",
    schema: z.number().positive(),
    default: 5,
    flag: "--collector.filesystem.mount-timeout",
    description: "seconds to wait for one mount's statfs before skipping it until the call returns",
  }),
};

export interface Mount {
  device: string;
  mountpoint: string;
  fstype: string;
  readonly: boolean;
}

/** Parse /proc/<pid>/mounts; octal escapes (\040 for a space) are decoded as the kernel wrote them. */
export function parseMounts(text: string): Mount[] {
  const unescape = (s: string): string =>
    s.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
  const mounts: Mount[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const [device, mountpoint, fstype, options] = fields(line);
    if (!device || !mountpoint || !fstype || !options) continue;
    mounts.push({
      device: unescape(device),
      mountpoint: unescape(mountpoint),
      fstype,
      readonly: options.split(",").includes("ro"),
    });
  }
  return mounts;
}

export interface FsStats {
  size: number;
  free: number;
  avail: number;
  files?: number;
  filesFree?: number;
  readonly: boolean;
}

export function familiesFor(
  entries: { labels: Record<string, string>; stats: FsStats }[],
  cachedNote: string,
): MetricFamily[] {
  const pick = (name: string, help: string, get: (s: FsStats) => number | undefined): MetricFamily => {
    const samples: Sample[] = [];
    for (const { labels, stats } of entries) {
      const value = get(stats);
      if (value !== undefined) samples.push({ labels, value });
    }
    return gauge(name, help + cachedNote, samples);
  };
  return [
    pick(agentMetrics.filesystemSizeBytes.name, agentMetrics.filesystemSizeBytes.help, (s) => s.size),
    pick(agentMetrics.filesystemFreeBytes.name, agentMetrics.filesystemFreeBytes.help, (s) => s.free),
    pick(agentMetrics.filesystemAvailBytes.name, agentMetrics.filesystemAvailBytes.help, (s) => s.avail),
    pick(agentMetrics.filesystemFiles.name, agentMetrics.filesystemFiles.help, (s) => s.files),
    pick(agentMetrics.filesystemFilesFree.name, agentMetrics.filesystemFilesFree.help, (s) => s.filesFree),
    pick(agentMetrics.filesystemReadonly.name, agentMetrics.filesystemReadonly.help, (s) => (s.readonly ? 1 : 0)),
  ];
}

/** Map systeminformation's fsSize records (Windows, macOS) to filesystem stats. */
export function statsFromFsSize(records: readonly FsSizeData[]): { labels: Record<string, string>; stats: FsStats }[] {
  return records
    .filter((r) => Number.isFinite(r.size) && r.size > 0)
    .map((r) => ({
      labels: { device: r.fs, fstype: r.type, mountpoint: r.mount },
      stats: { size: r.size, free: r.size - r.used, avail: r.available, readonly: r.rw === false },
    }));
}

registerCollector({
  id: "filesystem",
  defaultEnabled: true,
  description: "size, free space, inodes and read-only state of mounted filesystems",
  settings,
  create(options, env) {
    const mountPointsExclude = compilePattern(
      "--collector.filesystem.mount-points-exclude",
      options.mountPointsExclude,
    );
    const fsTypesExclude = compilePattern("--collector.filesystem.fs-types-exclude", options.fsTypesExclude);
    if (env.platform !== "linux") {
      const fsSize = new Cached(async () => (await systemInformation(env.platform)).fsSize(), 60_000);
      return {
        async update() {
          const entries = statsFromFsSize(await fsSize.get()).filter(
            (e) => !mountPointsExclude?.test(e.labels.mountpoint ?? "") && !fsTypesExclude?.test(e.labels.fstype ?? ""),
          );
          return familiesFor(entries, " Cached for up to 60 s.");
        },
      };
    }
    // Mount points whose statfs has not returned yet: never stat them twice at once.
    const stuck = new Set<string>();
    const timeoutMs = options.mountTimeout * 1000;
    const statWithTimeout = async (path: string): Promise<StatsFs | undefined> => {
      if (stuck.has(path)) return undefined;
      stuck.add(path);
      const call = statfs(path, { bigint: false }).finally(() => stuck.delete(path));
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<undefined>((resolve) => {
        timer = setTimeout(() => {
          resolve(undefined);
        }, timeoutMs);
      });
      try {
        const result = await Promise.race([call, timedOut]);
        if (result === undefined)
          logger().warn({ mountpoint: path }, "statfs timed out; skipping this mount until it returns");
        return result;
      } finally {
        clearTimeout(timer);
      }
    };
    return {
      async update() {
        let table: string;
        try {
          table = await readProcFile(env.procfs, "1/mounts");
        } catch {
          table = await readProcFile(env.procfs, "mounts");
        }
        const mounts = parseMounts(table).filter(
          (m) => !mountPointsExclude?.test(m.mountpoint) && !fsTypesExclude?.test(m.fstype),
        );
        // A mount point mounted over twice: report what is visible now (the last entry), once.
        const last = new Map(mounts.map((m) => [m.mountpoint, m]));
        // node_filesystem_device_error's meaning: 1 for a mount that could not be statted (or timed out).
        const deviceErrors: Sample[] = [];
        const entries = await Promise.all(
          [...last.values()].map(async (m) => {
            const labels = { device: m.device, fstype: m.fstype, mountpoint: m.mountpoint };
            try {
              const s = await statWithTimeout(join(env.rootfs, m.mountpoint));
              deviceErrors.push({ labels, value: s ? 0 : 1 });
              if (!s) return undefined;
              return {
                labels: { device: m.device, fstype: m.fstype, mountpoint: m.mountpoint },
                stats: {
                  size: s.blocks * s.bsize,
                  free: s.bfree * s.bsize,
                  avail: s.bavail * s.bsize,
                  files: s.files,
                  filesFree: s.ffree,
                  readonly: m.readonly,
                },
              };
            } catch (error) {
              // Permission denied or a mount that vanished: node_exporter skips it too.
              logger().debug(
                { mountpoint: m.mountpoint, err: error instanceof Error ? error.message : String(error) },
                "statfs failed",
              );
              deviceErrors.push({ labels, value: 1 });
              return undefined;
            }
          }),
        );
        return [
          ...familiesFor(
            entries.filter((e) => e !== undefined),
            "",
          ),
          gauge(
            "muniops_filesystem_device_error",
            "Whether statfs failed or timed out on the mount (1) or not (0).",
            deviceErrors,
          ),
        ];
      },
    };
  },
});
