// What a simulated host's agent says at an instant: the agent's own metric families (the same names, help
// texts, types and labels, from contracts/metrics.ts), computed from the fleet model, plus
// `muniops_simulated 1` so no one mistakes the demo for a real fleet. Metering reads these exactly as it reads a real
// agent.
import { counter, gauge, mergeFamilies, type MetricFamily, type Sample } from "../exposition.js";
import { familiesFor } from "../collectors/filesystem.js";
import { buildInfoFamily } from "../version.js";
import type { FleetModel, HostProfile } from "./fleetModel.js";
import { agentMetrics } from "../../contracts/metrics.js";
import { rng } from "./prng.js";
import { digitalCounterFamilies } from "./digitalCounter.js";

const linuxCollectors = [
  "cpu",
  "loadavg",
  "memory",
  "filesystem",
  "diskstats",
  "netdev",
  "time",
  "os",
  "textfile",
  "updates",
];
const windowsCollectors = linuxCollectors.filter((c) => c !== "loadavg");

/**
 * Each CPU's seconds per mode at tMs. The backfilled history (openMetricsHistory.ts) writes the same
 * values, so the live series continues it without a drop that rate() would read as a counter reset.
 */
export function cpuModeSeconds(model: FleetModel, p: HostProfile, tMs: number): Sample[] {
  const busy = model.cpuBusySeconds(p, tMs);
  const up = (tMs - model.bootTimeMs(p, tMs)) / 1000;
  const samples: Sample[] = [];
  for (let cpu = 0; cpu < p.host.vcpus; cpu++) {
    // CPUs share the load unevenly (±10 %), and every mode only ever grows.
    const share = busy * (1 + 0.1 * ((cpu % 3) - 1));
    const iowait = up * 0.01;
    const modes: Record<string, number> = {
      user: share * 0.7,
      system: share * 0.25,
      nice: share * 0.01,
      iowait,
      irq: share * 0.04,
      idle: up - share - iowait,
    };
    for (const [mode, value] of Object.entries(modes))
      samples.push({ labels: { cpu: String(cpu), mode }, value: Math.round(value * 100) / 100 });
  }
  return samples;
}

function cpuFamily(model: FleetModel, p: HostProfile, tMs: number): MetricFamily {
  return counter(agentMetrics.cpuSeconds.name, agentMetrics.cpuSeconds.help, cpuModeSeconds(model, p, tMs));
}

function filesystemFamilies(model: FleetModel, p: HostProfile, tMs: number): MetricFamily[] {
  const entries = p.filesystems.map((fs) => {
    const free = fs.sizeBytes - model.usedBytes(fs, tMs);
    const files = Math.round(fs.sizeBytes / 16384);
    // ext4 keeps 5 % for root: free, but not available to users.
    const avail = Math.max(0, free - (fs.fstype === "ext4" ? Math.round(fs.sizeBytes * 0.05) : 0));
    return {
      labels: { device: fs.device, fstype: fs.fstype, mountpoint: fs.mountpoint },
      stats: {
        size: fs.sizeBytes,
        free,
        avail,
        files,
        filesFree: Math.round(files * (free / fs.sizeBytes)),
        readonly: false,
      },
    };
  });
  return familiesFor(entries, "");
}

function trafficFamilies(model: FleetModel, p: HostProfile, tMs: number): MetricFamily[] {
  const disks = p.filesystems.filter((f) => f.billable).map((f) => f.device);
  const nic = p.host.os === "windows" ? "Ethernet" : "eth0";
  const perDisk = (bps: number) =>
    disks.map((device) => ({ labels: { device }, value: model.trafficBytes(p, bps / disks.length, tMs) }));
  return [
    counter(agentMetrics.diskReadBytes.name, agentMetrics.diskReadBytes.help, perDisk(p.diskReadBps)),
    counter(agentMetrics.diskWrittenBytes.name, agentMetrics.diskWrittenBytes.help, perDisk(p.diskWriteBps)),
    counter(
      agentMetrics.diskIoTimeSeconds.name,
      agentMetrics.diskIoTimeSeconds.help,
      disks.map((device) => ({
        labels: { device },
        value: Math.round(model.cpuBusySeconds(p, tMs) * 0.2 * 100) / 100,
      })),
    ),
    counter(agentMetrics.networkReceiveBytes.name, agentMetrics.networkReceiveBytes.help, [
      { labels: { device: nic }, value: model.trafficBytes(p, p.netReceiveBps, tMs) },
    ]),
    counter(agentMetrics.networkTransmitBytes.name, agentMetrics.networkTransmitBytes.help, [
      { labels: { device: nic }, value: model.trafficBytes(p, p.netTransmitBps, tMs) },
    ]),
  ];
}

const hourS = 3600;
const dayS = 86_400;

/**
 * The host's patch state, as the updates collector reports it: a seeded mix per host and week, so the
 * demo fleet has hosts within the one-week rule for security updates and a few past it, some with a
 * reboot pending. Checked hourly like the real collector: the last check is the last full hour.
 */
export function patchFamilies(model: FleetModel, p: HostProfile, tMs: number): MetricFamily[] {
  const week = String(Math.floor(tMs / 1000 / (7 * dayS)));
  const random = rng(model.seed, p.host.name, "patches", week);
  const security = random() < 0.6 ? 0 : Math.floor(1 + random() * 4);
  const other = Math.floor(random() * 25);
  const held = random() < 0.1 ? 1 : 0;
  const oldestAgeS = security === 0 ? 0 : Math.round((0.5 + random() * 11) * dayS);
  const rebootRequired = random() < 0.15 ? 1 : 0;
  const rebootAgeS = rebootRequired === 1 ? Math.round((0.2 + random() * 5) * dayS) : 0;
  const checkedS = Math.floor(tMs / 1000 / hourS) * hourS;
  const backend = { backend: p.host.os === "windows" ? "windows-update" : "apt" };
  return [
    gauge(agentMetrics.updatesLastSuccessTimestampSeconds.name, agentMetrics.updatesLastSuccessTimestampSeconds.help, [
      { value: checkedS },
    ]),
    gauge(agentMetrics.updatesCheckSuccess.name, agentMetrics.updatesCheckSuccess.help, [{ value: 1 }]),
    gauge(agentMetrics.updatesCheckDurationSeconds.name, agentMetrics.updatesCheckDurationSeconds.help, [
      { value: 1.8 },
    ]),
    gauge(agentMetrics.updatesPending.name, agentMetrics.updatesPending.help, [
      { labels: { ...backend, kind: "security" }, value: security },
      { labels: { ...backend, kind: "other" }, value: other },
    ]),
    gauge(agentMetrics.updatesHeld.name, agentMetrics.updatesHeld.help, [{ labels: backend, value: held }]),
    gauge(agentMetrics.updatesSecurityOldestAgeSeconds.name, agentMetrics.updatesSecurityOldestAgeSeconds.help, [
      { labels: backend, value: oldestAgeS },
    ]),
    gauge(agentMetrics.rebootRequired.name, agentMetrics.rebootRequired.help, [{ value: rebootRequired }]),
    gauge(agentMetrics.rebootRequiredAgeSeconds.name, agentMetrics.rebootRequiredAgeSeconds.help, [
      { value: rebootAgeS },
    ]),
  ];
}

/** Every family the host's agent would serve at `tMs` (the host must be up: a down host serves nothing). */
export function simulatedFamilies(model: FleetModel, p: HostProfile, tMs: number): MetricFamily[] {
  const windows = p.host.os === "windows";
  const busy = model.cpuBusy(p, tMs) * p.host.vcpus;
  const collectors = windows ? windowsCollectors : linuxCollectors;
  const families: MetricFamily[] = [
    cpuFamily(model, p, tMs),
    gauge(agentMetrics.memoryTotalBytes.name, agentMetrics.memoryTotalBytes.help, [
      { value: p.host.memoryGiB * 1024 ** 3 },
    ]),
    gauge(agentMetrics.memoryAvailableBytes.name, agentMetrics.memoryAvailableBytes.help, [
      { value: model.memoryAvailableBytes(p, tMs) },
    ]),
    ...filesystemFamilies(model, p, tMs),
    ...trafficFamilies(model, p, tMs),
    ...patchFamilies(model, p, tMs),
    gauge(agentMetrics.timeSeconds.name, agentMetrics.timeSeconds.help, [{ value: tMs / 1000 }]),
    gauge(agentMetrics.bootTimeSeconds.name, agentMetrics.bootTimeSeconds.help, [
      { value: model.bootTimeMs(p, tMs) / 1000 },
    ]),
    gauge(agentMetrics.osInfo.name, agentMetrics.osInfo.help, [
      {
        labels: windows
          ? {
              os: "windows",
              distro: "Microsoft Windows Server 2022 Datacenter",
              release: "10.0.20348",
              arch: "x64",
              hostname: p.host.name,
            }
          : { os: "linux", distro: "Ubuntu", release: "22.04", arch: "x64", hostname: p.host.name },
        value: 1,
      },
    ]),
    buildInfoFamily(),
    gauge(
      agentMetrics.scrapeCollectorSuccess.name,
      agentMetrics.scrapeCollectorSuccess.help,
      collectors.map((collector) => ({ labels: { collector }, value: 1 })),
    ),
    gauge(
      agentMetrics.scrapeCollectorDurationSeconds.name,
      agentMetrics.scrapeCollectorDurationSeconds.help,
      collectors.map((collector) => ({ labels: { collector }, value: 0.0002 })),
    ),
    gauge(agentMetrics.simulated.name, agentMetrics.simulated.help, [{ value: 1 }]),
    ...digitalCounterFamilies(p.host.name, tMs),
  ];
  if (!windows) {
    families.push(
      gauge(agentMetrics.load1.name, agentMetrics.load1.help, [{ value: Math.round(busy * 100) / 100 }]),
      gauge(agentMetrics.load5.name, agentMetrics.load5.help, [{ value: Math.round(busy * 95) / 100 }]),
      gauge(agentMetrics.load15.name, agentMetrics.load15.help, [{ value: Math.round(busy * 90) / 100 }]),
    );
  }
  return mergeFamilies(families);
}
