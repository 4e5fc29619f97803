// Reading the Prometheus text format an agent serves on /metrics: just what metering needs (name,
// labels, value), tolerant of comments, timestamps and OpenMetrics' `# EOF`.
import { agentMetrics } from "../../contracts/metrics.js";

export interface ExposedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const samplePattern = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\S+)?$/;
const labelPattern = /([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?/g;

function unescapeLabel(value: string): string {
  return value.replace(/\\(["\\n])/g, (_m, c: string) => (c === "n" ? "\n" : c));
}

export function parseExposition(text: string): ExposedSample[] {
  const samples: ExposedSample[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = samplePattern.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const l of (match[2] ?? "").matchAll(labelPattern)) labels[l[1] ?? ""] = unescapeLabel(l[2] ?? "");
    const value = Number(match[3] === "+Inf" ? Infinity : match[3] === "-Inf" ? -Infinity : match[3]);
    samples.push({ name: match[1] ?? "", labels, value });
  }
  return samples;
}

/** Filesystem types that hold no billable data (memory, pseudo and image filesystems). */
export const excludedFsTypes =
  "tmpfs|ramfs|devtmpfs|overlay|squashfs|iso9660|autofs|proc|sysfs|cgroup2?|nsfs|fuse.lxcfs";
const excluded = new RegExp(`^(${excludedFsTypes})$`);

/**
 * Used bytes on a host: size − free summed over its included filesystems, each device counted once
 * (a device mounted twice, e.g. a bind mount, is the same bytes).
 */
export function usedFilesystemBytes(samples: readonly ExposedSample[]): bigint | null {
  const size = new Map<string, number>();
  const free = new Map<string, number>();
  for (const s of samples) {
    if (excluded.test(s.labels.fstype ?? "")) continue;
    const device = s.labels.device ?? s.labels.mountpoint ?? "";
    if (s.name === agentMetrics.filesystemSizeBytes.name) size.set(device, s.value);
    else if (s.name === agentMetrics.filesystemFreeBytes.name) free.set(device, s.value);
  }
  if (size.size === 0) return null;
  let used = 0n;
  for (const [device, bytes] of size) {
    const f = free.get(device);
    if (f !== undefined && Number.isFinite(bytes) && Number.isFinite(f))
      used += BigInt(Math.max(0, Math.round(bytes - f)));
  }
  return used;
}
