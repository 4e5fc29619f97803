// os: one series whose labels say what the server runs. Linux reads os-release under --path.rootfs and
// the hostname under --path.procfs (two small files, no process); elsewhere systeminformation's osInfo,
// which spawns processes and so is cached for an hour (the HELP text says so).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { registerCollector, type AgentEnvironment } from "../collector.js";
import { gauge, type MetricFamily } from "../exposition.js";
import { Cached, systemInformation, type OsData } from "../systemInfo.js";
import { readProcFile } from "./procfs.js";

export interface OsLabels {
  os: string;
  distro: string;
  release: string;
  arch: string;
  hostname: string;
  [key: string]: string;
}

/** Parse os-release(5): KEY=value lines, values optionally quoted. */
export function parseOsRelease(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split("\n")) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!match?.[1] || match[2] === undefined) continue;
    const raw = match[2];
    values.set(match[1], /^(["']).*\1$/.test(raw) ? raw.slice(1, -1).replace(/\\(.)/g, "$1") : raw);
  }
  return values;
}

/** Labels from systeminformation's osInfo (Windows, macOS). */
export function osLabelsFromOsInfo(info: OsData, arch: string): OsLabels {
  return { os: info.platform === "Windows" ? "windows" : info.platform, distro: info.distro, release: info.release, arch, hostname: info.hostname };
}

async function linuxLabels(env: AgentEnvironment): Promise<OsLabels> {
  let release = new Map<string, string>();
  for (const candidate of ["etc/os-release", "usr/lib/os-release"]) {
    try {
      release = parseOsRelease(await readFile(join(env.rootfs, candidate), "utf8"));
      break;
    } catch {
      // Try the next location, as os-release(5) says.
    }
  }
  const hostname = (await readProcFile(env.procfs, "sys/kernel/hostname")).trim();
  const kernel = (await readProcFile(env.procfs, "sys/kernel/osrelease")).trim();
  return { os: "linux", distro: release.get("NAME") ?? "Linux", release: release.get("VERSION_ID") ?? kernel, arch: env.arch, hostname };
}

function family(labels: OsLabels, note: string): MetricFamily[] {
  return [gauge("muniops_os_info", "Operating system identity; the value is always 1." + note, [{ labels, value: 1 }])];
}

registerCollector({
  id: "os",
  defaultEnabled: true,
  description: "operating system, distribution, release, architecture and hostname",
  settings: {},
  create(_options, env) {
    const osInfo = new Cached(async () => (await systemInformation(env.platform)).osInfo(), 3_600_000);
    return {
      async update() {
        if (env.platform === "linux") return family(await linuxLabels(env), "");
        return family(osLabelsFromOsInfo(await osInfo.get(), env.arch), " Cached for up to 1 h.");
      },
    };
  },
});
