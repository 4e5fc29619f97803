// timex: whether the kernel clock is synchronised. node_exporter's timex collector calls adjtimex(2),
// which Node.js cannot (no system call or FFI for it among the built-ins, and spawning `adjtimex` or
// `chronyc` per scrape is what the agent never does). The closest real source without a process is
// systemd-timesyncd's marker: it creates /run/systemd/timesync/synchronized when it has synchronised the
// kernel clock and touches it on every later synchronisation, so its mtime is the last sync. Where
// timesyncd does not run (chrony, ntpd, Windows) the collector reports nothing, and the clock's offset is
// measured from the Prometheus side instead: muniops_time_seconds against the scrape's own timestamp (the
// mixin's MuniopsClockSkew), which holds for every agent whatever keeps its time.
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { registerCollector } from "../collector.js";
import { gauge, type MetricFamily } from "../exposition.js";

export const timesyncDirectory = "run/systemd/timesync";

export function timexFamilies(marker: { mtimeSeconds: number } | undefined): MetricFamily[] {
  const families = [
    gauge("muniops_timex_sync_status", "Whether systemd-timesyncd has synchronised the kernel clock (1) or not (0).", [
      { value: marker ? 1 : 0 },
    ]),
  ];
  if (marker) {
    const help =
      "When systemd-timesyncd last synchronised the clock (its marker file's mtime), in seconds since the epoch.";
    families.push(gauge("muniops_timex_last_sync_timestamp_seconds", help, [{ value: marker.mtimeSeconds }]));
  }
  return families;
}

const statOrUndefined = async (path: string): Promise<Awaited<ReturnType<typeof stat>> | undefined> => {
  try {
    return await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
};

registerCollector({
  id: "timex",
  defaultEnabled: true,
  description: "clock synchronisation state from systemd-timesyncd (Node.js cannot call adjtimex)",
  settings: {},
  create(_options, env) {
    return {
      async update() {
        if (env.platform !== "linux") return [];
        const directory = join(env.rootfs, timesyncDirectory);
        // No directory: timesyncd is not what keeps this clock, so there is no state to report.
        if (!(await statOrUndefined(directory))) return [];
        const marker = await statOrUndefined(join(directory, "synchronized"));
        return timexFamilies(marker ? { mtimeSeconds: Math.floor(Number(marker.mtimeMs) / 1000) } : undefined);
      },
    };
  },
});
