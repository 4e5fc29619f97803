// A known metric history, in the agent's metric names with the target labels Prometheus attaches from
// file_sd: samples every minute, 30 s past the minute (never on an hour boundary), for a few hours.
import { hourStart, hoursBetween } from "../../../dashboard/domain/period.js";

export interface KnownHistory {
  hours: string[];
  openMetrics: string;
  /** The Prometheus text format with millisecond timestamps (VictoriaMetrics' import). */
  promText: string;
  /** host → hour → expected up_seconds and fs_used_bytes. */
  expected: Map<string, Map<string, { up: number; fs: bigint }>>;
}

interface Series {
  name: string;
  labels: Record<string, string>;
  value(hourIndex: number, minute: number): number | undefined;
}

export function knownHistory(firstHour: string, lastHour: string): KnownHistory {
  const hours = hoursBetween(firstHour, lastHour);
  const target = (host: string, department?: string): Record<string, string> => ({
    job: "muniops-agent",
    instance: host,
    host,
    ...(department ? { department } : {}),
    environment: "prod",
  });
  const a = target("bz-app-01", "burgerzaken");
  const b = target("bel-app-01", "belastingen");
  const d = target("stray-01");
  const series: Series[] = [
    { name: "up", labels: a, value: () => 1 },
    {
      name: "muniops_filesystem_size_bytes",
      labels: { ...a, device: "/dev/sda1", fstype: "ext4", mountpoint: "/" },
      value: () => 100e9,
    },
    {
      name: "muniops_filesystem_free_bytes",
      labels: { ...a, device: "/dev/sda1", fstype: "ext4", mountpoint: "/" },
      value: (i) => 100e9 - (10e9 + i * 1e9),
    },
    // Host b is down for the second half of its fourth hour: no agent samples then, up = 0.
    { name: "up", labels: b, value: (i, m) => (i === 3 && m >= 30 ? 0 : 1) },
    {
      name: "muniops_filesystem_size_bytes",
      labels: { ...b, device: "/dev/sdb1", fstype: "xfs", mountpoint: "/data" },
      value: (i, m) => (i === 3 && m >= 30 ? undefined : 50e9),
    },
    {
      name: "muniops_filesystem_free_bytes",
      labels: { ...b, device: "/dev/sdb1", fstype: "xfs", mountpoint: "/data" },
      value: (i, m) => (i === 3 && m >= 30 ? undefined : 30e9),
    },
    // tmpfs holds no billable data: excluded.
    {
      name: "muniops_filesystem_size_bytes",
      labels: { ...b, device: "tmpfs", fstype: "tmpfs", mountpoint: "/run" },
      value: (i, m) => (i === 3 && m >= 30 ? undefined : 4e9),
    },
    {
      name: "muniops_filesystem_free_bytes",
      labels: { ...b, device: "tmpfs", fstype: "tmpfs", mountpoint: "/run" },
      value: (i, m) => (i === 3 && m >= 30 ? undefined : 1e9),
    },
    // A host Prometheus scrapes that no inventory lists and no department owns.
    { name: "up", labels: d, value: () => 1 },
    {
      name: "muniops_filesystem_size_bytes",
      labels: { ...d, device: "/dev/vda1", fstype: "ext4", mountpoint: "/" },
      value: () => 20e9,
    },
    {
      name: "muniops_filesystem_free_bytes",
      labels: { ...d, device: "/dev/vda1", fstype: "ext4", mountpoint: "/" },
      value: () => 15e9,
    },
    { name: "muniops_memory_total_bytes", labels: d, value: () => 2 * 1024 ** 3 },
    { name: "muniops_cpu_seconds_total", labels: { ...d, cpu: "0", mode: "idle" }, value: (i, m) => (i * 60 + m) * 50 },
    { name: "muniops_cpu_seconds_total", labels: { ...d, cpu: "1", mode: "idle" }, value: (i, m) => (i * 60 + m) * 50 },
  ];
  const fmt = (labels: Record<string, string>): string =>
    Object.entries(labels)
      .map(([k, v]) => `${k}="${v}"`)
      .join(",");
  const om: string[] = [];
  const prom: string[] = [];
  const byName = new Map<string, Series[]>();
  for (const s of series) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  for (const [name, list] of byName) {
    const family = name.replace(/_total$/, "");
    om.push(`# TYPE ${family} ${name.endsWith("_total") ? "counter" : "gauge"}`);
    for (const s of list) {
      hours.forEach((hour, i) => {
        for (let m = 0; m < 60; m++) {
          const v = s.value(i, m);
          if (v === undefined) continue;
          const t = hourStart(hour) / 1000 + m * 60 + 30;
          om.push(`${name}{${fmt(s.labels)}} ${v} ${t}`);
          prom.push(`${name}{${fmt(s.labels)}} ${v} ${t * 1000}`);
        }
      });
    }
  }
  om.push("# EOF");
  const expected = new Map<string, Map<string, { up: number; fs: bigint }>>();
  expected.set("bz-app-01", new Map(hours.map((h, i) => [h, { up: 3600, fs: BigInt(10e9 + i * 1e9) }])));
  expected.set("bel-app-01", new Map(hours.map((h, i) => [h, { up: i === 3 ? 1800 : 3600, fs: 20_000_000_000n }])));
  expected.set("stray-01", new Map(hours.map((h) => [h, { up: 3600, fs: 5_000_000_000n }])));
  return { hours, openMetrics: om.join("\n") + "\n", promText: prom.join("\n") + "\n", expected };
}
