// os: one series whose labels say what the server runs, and on Linux node_exporter's os_version and
// uname_info. Linux reads os-release under --path.rootfs and the hostname and uname fields under
// --path.procfs (small files, no process); elsewhere systeminformation's osInfo,
// which spawns processes and so is cached for an hour (the HELP text says so).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { registerCollector, type AgentEnvironment } from "../collector.js";
import { gauge, type MetricFamily } from "../exposition.js";
import { Cached, systemInformation, type OsData } from "../systemInfo.js";
import { readProcFile } from "./procfs.js";
import { agentMetrics } from "../../contracts/metrics.js";

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
  return {
    os: info.platform === "Windows" ? "windows" : info.platform,
    distro: info.distro,
    release: info.release,
    arch,
    hostname: info.hostname,
  };
}

async function readOsRelease(env: AgentEnvironment): Promise<Map<string, string>> {
  let release = new Map<string, string>();
  for (const candidate of ["etc/os-release", "usr/lib/os-release"]) {
    try {
      release = parseOsRelease(await readFile(join(env.rootfs, candidate), "utf8"));
      break;
    } catch {
      // Try the next location, as os-release(5) says.
    }
  }
  return release;
}

async function linuxLabels(env: AgentEnvironment, release: ReadonlyMap<string, string>): Promise<OsLabels> {
  const hostname = (await readProcFile(env.procfs, "sys/kernel/hostname")).trim();
  const kernel = (await readProcFile(env.procfs, "sys/kernel/osrelease")).trim();
  return {
    os: "linux",
    distro: release.get("NAME") ?? "Linux",
    release: release.get("VERSION_ID") ?? kernel,
    arch: env.arch,
    hostname,
  };
}

function family(labels: OsLabels, note: string): MetricFamily[] {
  return [gauge(agentMetrics.osInfo.name, agentMetrics.osInfo.help + note, [{ labels, value: 1 }])];
}

/** The kernel's `uname -m` name for Node's architecture name. */
const unameMachine: Readonly<Record<string, string>> = { x64: "x86_64", arm64: "aarch64", ia32: "i686", arm: "armv7l" };

/**
 * What node_exporter's os and uname collectors add on Linux: os-release's identity with VERSION_ID as the
 * value (node_os_version), and the kernel's uname fields from /proc/sys/kernel (node_uname_info).
 */
async function linuxDetailFamilies(
  env: AgentEnvironment,
  release: ReadonlyMap<string, string>,
): Promise<MetricFamily[]> {
  const kernel = async (name: string): Promise<string> => (await readProcFile(env.procfs, `sys/kernel/${name}`)).trim();
  const uname = {
    sysname: await kernel("ostype"),
    release: await kernel("osrelease"),
    version: await kernel("version"),
    machine: unameMachine[env.arch] ?? env.arch,
    nodename: await kernel("hostname"),
    domainname: await kernel("domainname"),
  };
  const osVersion = {
    id: release.get("ID") ?? "",
    id_like: release.get("ID_LIKE") ?? "",
    name: release.get("NAME") ?? "",
    pretty_name: release.get("PRETTY_NAME") ?? "",
    version: release.get("VERSION") ?? "",
    version_codename: release.get("VERSION_CODENAME") ?? "",
    version_id: release.get("VERSION_ID") ?? "",
  };
  const versionNumber = Number.parseFloat(osVersion.version_id);
  return [
    gauge("muniops_uname_info", "The kernel's uname fields; the value is always 1.", [{ labels: uname, value: 1 }]),
    gauge("muniops_os_version", "The OS release's VERSION_ID as a number (0 when it is not one), with its identity.", [
      { labels: osVersion, value: Number.isFinite(versionNumber) ? versionNumber : 0 },
    ]),
  ];
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
        if (env.platform === "linux") {
          const release = await readOsRelease(env);
          return [...family(await linuxLabels(env, release), ""), ...(await linuxDetailFamilies(env, release))];
        }
        return family(osLabelsFromOsInfo(await osInfo.get(), env.arch), " Cached for up to 1 h.");
      },
    };
  },
});
