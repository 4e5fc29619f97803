// The seeded model behind the fleet simulator: for every inventory host, what its agent would report at
// any instant — CPU following a working day, memory, filesystems that grow (a few of them filling up),
// disk and network traffic, and outages (a few hosts down right now, the odd hour down in the past).
// Everything is a pure function of (seed, host, time), so the live /metrics, the Prometheus backfill and
// the ledger history of the demo are the same fleet.
import type { InventoryHost } from "../../contracts/inventory.js";
import { between, hashSeed, rng } from "./prng.js";

const hourMs = 3_600_000;
const dayS = 86_400;
const GiB = 1024 ** 3;
/** Quietest at 02:00 UTC, busiest twelve hours later (15:00 in Leiden). */
const quietestS = 2 * 3600;
const omega = (2 * Math.PI) / dayS;

export interface SimFilesystem {
  device: string;
  mountpoint: string;
  fstype: string;
  sizeBytes: number;
  /** Used fraction at the start of the history, and its growth per millisecond. */
  usedAtStart: number;
  growthPerMs: number;
  /** Billable (not tmpfs): what metering counts. */
  billable: boolean;
}

export interface HostProfile {
  host: InventoryHost;
  cpuBase: number;
  cpuAmplitude: number;
  memoryUsedBase: number;
  filesystems: SimFilesystem[];
  /** Whole-hour outages, [from, to) in ms, sorted. */
  outages: [number, number][];
  /** A filesystem heading for full. */
  filling: boolean;
  firstBootMs: number;
  diskReadBps: number;
  diskWriteBps: number;
  netReceiveBps: number;
  netTransmitBps: number;
}

export interface FleetModelOptions {
  seed: number;
  hosts: readonly InventoryHost[];
  /** The first hour of history (ms, on an hour boundary). */
  historyStartMs: number;
  /** "Now": hosts down now went down a few hours before it; filling filesystems are nearly full at it. */
  nowMs: number;
  /** How many hosts are down at `nowMs` and how many have a filesystem filling up (default: a few per 150). */
  downNow?: number;
  fillingUp?: number;
}

const floorHour = (ms: number): number => Math.floor(ms / hourMs) * hourMs;

/** ∫ of the daily shape ½(1 − cos ω(t − quietest)) from t0 to t1 (seconds): closed form, so counters are exact. */
function dailyIntegral(t0: number, t1: number): number {
  const f = (t: number): number => 0.5 * t - (0.5 / omega) * Math.sin(omega * (t - quietestS));
  return f(t1) - f(t0);
}

/** The daily shape at t (seconds): 0 at 02:00 UTC, 1 at 14:00 UTC. */
export function dailyShape(tS: number): number {
  return 0.5 * (1 - Math.cos(omega * (tS - quietestS)));
}

export class FleetModel {
  readonly seed: number;
  readonly historyStartMs: number;
  readonly nowMs: number;
  private readonly profiles = new Map<string, HostProfile>();

  constructor(options: FleetModelOptions) {
    this.seed = options.seed;
    this.historyStartMs = floorHour(options.historyStartMs);
    this.nowMs = options.nowMs;
    const byChance = (purpose: string) =>
      [...options.hosts].sort(
        (a, b) => hashSeed(`${options.seed}:${purpose}:${a.name}`) - hashSeed(`${options.seed}:${purpose}:${b.name}`),
      );
    // By default about one host in fifty is down now and one in forty is filling up: 3 and 4 of 150.
    const downNow = new Set(
      byChance("down")
        .slice(0, options.downNow ?? Math.round(options.hosts.length / 50))
        .map((h) => h.name),
    );
    const filling = new Set(
      byChance("filling")
        .slice(0, options.fillingUp ?? Math.round(options.hosts.length / 40))
        .map((h) => h.name),
    );
    for (const host of options.hosts)
      this.profiles.set(host.name, this.profileOf(host, downNow.has(host.name), filling.has(host.name)));
  }

  private profileOf(host: InventoryHost, downNow: boolean, filling: boolean): HostProfile {
    const r = rng(this.seed, host.name, "profile");
    const span = Math.max(hourMs, this.nowMs + dayS * 1000 - this.historyStartMs);
    const filesystems: SimFilesystem[] = [];
    const windows = host.os === "windows";
    const isOsDisk = (name: string, i: number): boolean =>
      /-os$/.test(name) || (i === 0 && !host.disks.some((d) => /-os$/.test(d.name)));
    // A filling host's first data disk (its OS disk when it has no other) reaches ~95 % a day after "now".
    const dataDisk = host.disks.findIndex((d, i) => !isOsDisk(d.name, i));
    const fillingDisk = filling ? (dataDisk >= 0 ? dataDisk : 0) : -1;
    let dataIndex = 0;
    host.disks.forEach((disk, i) => {
      const isOs = isOsDisk(disk.name, i);
      const mountpoint = windows
        ? isOs
          ? "C:"
          : `${String.fromCharCode(68 + dataIndex)}:`
        : isOs
          ? "/"
          : dataIndex === 0
            ? "/data"
            : `/data${dataIndex}`;
      if (!isOs) dataIndex++;
      const device = windows ? mountpoint : `/dev/sd${String.fromCharCode(97 + i)}1`;
      const usedAtStart = between(r, isOs ? 0.2 : 0.15, isOs ? 0.45 : 0.55);
      const growthTotal = i === fillingDisk ? 0.95 - usedAtStart : between(r, 0.01, isOs ? 0.06 : 0.25);
      filesystems.push({
        device,
        mountpoint,
        fstype: windows ? "NTFS" : isOs ? "ext4" : "xfs",
        sizeBytes: Math.round(disk.sizeGiB * GiB * 0.98),
        usedAtStart,
        growthPerMs: growthTotal / span,
        billable: true,
      });
    });
    if (!windows)
      filesystems.push({
        device: "tmpfs",
        mountpoint: "/run",
        fstype: "tmpfs",
        sizeBytes: Math.round(host.memoryGiB * GiB * 0.1),
        usedAtStart: 0.01,
        growthPerMs: 0,
        billable: false,
      });
    const outages = this.historicalOutages(host.name);
    if (downNow) {
      const from = floorHour(this.nowMs) - Math.floor(between(r, 2, 30)) * hourMs;
      outages.push([from, Number.POSITIVE_INFINITY]);
    }
    outages.sort((a, b) => a[0] - b[0]);
    return {
      host,
      cpuBase: between(r, 0.03, 0.3),
      cpuAmplitude: between(r, 0.05, 0.45),
      memoryUsedBase: between(r, 0.35, 0.75),
      filesystems,
      outages,
      filling,
      firstBootMs: this.historyStartMs - Math.floor(between(r, 3, 90)) * dayS * 1000,
      diskReadBps: between(r, 50e3, 5e6),
      diskWriteBps: between(r, 20e3, 2e6),
      netReceiveBps: between(r, 10e3, 3e6),
      netTransmitBps: between(r, 10e3, 3e6),
    };
  }

  /** About one host in eight has a 1–4 hour outage in a given month (patch night gone wrong, a hung VM). */
  private historicalOutages(name: string): [number, number][] {
    const outages: [number, number][] = [];
    const start = new Date(this.historyStartMs);
    for (let m = 0; ; m++) {
      const monthStart = Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + m, 1);
      const monthEnd = Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + m + 1, 1);
      // Only months that have ended: the current month's trouble is the hosts down now.
      if (monthEnd > floorHour(this.nowMs)) break;
      const r = rng(this.seed, name, "outage", String(monthStart));
      if (r() >= 0.12) continue;
      const hours = (monthEnd - monthStart) / hourMs;
      const from = monthStart + Math.floor(r() * (hours - 4)) * hourMs;
      outages.push([from, from + Math.ceil(between(r, 1, 4)) * hourMs]);
    }
    return outages;
  }

  hostNames(): string[] {
    return [...this.profiles.keys()];
  }

  profile(name: string): HostProfile | undefined {
    return this.profiles.get(name);
  }

  /** Whether the host's agent answers at `tMs`. */
  isUp(p: HostProfile, tMs: number): boolean {
    return !p.outages.some(([from, to]) => tMs >= from && tMs < to);
  }

  /** The boot the host is running on at `tMs`: the end of its latest outage, or its first boot. */
  bootTimeMs(p: HostProfile, tMs: number): number {
    let boot = p.firstBootMs;
    for (const [, to] of p.outages) if (to <= tMs) boot = to;
    return boot;
  }

  /** CPU busy fraction (0–1) at t. */
  cpuBusy(p: HostProfile, tMs: number): number {
    return p.cpuBase + p.cpuAmplitude * dailyShape(tMs / 1000);
  }

  /** CPU-seconds busy per CPU since boot: the integral of cpuBusy. */
  cpuBusySeconds(p: HostProfile, tMs: number): number {
    const t0 = this.bootTimeMs(p, tMs) / 1000;
    const t1 = tMs / 1000;
    return p.cpuBase * (t1 - t0) + p.cpuAmplitude * dailyIntegral(t0, t1);
  }

  /** Bytes moved since boot at a rate that follows the working day (between 40 % and 100 % of `bps`). */
  trafficBytes(p: HostProfile, bps: number, tMs: number): number {
    const t0 = this.bootTimeMs(p, tMs) / 1000;
    const t1 = tMs / 1000;
    return Math.round(bps * (0.4 * (t1 - t0) + 0.6 * dailyIntegral(t0, t1)));
  }

  memoryAvailableBytes(p: HostProfile, tMs: number): number {
    const total = p.host.memoryGiB * GiB;
    const used = Math.min(0.97, p.memoryUsedBase + 0.12 * dailyShape(tMs / 1000));
    return Math.round(total * (1 - used));
  }

  usedBytes(fs: SimFilesystem, tMs: number): number {
    const fraction = Math.min(0.995, fs.usedAtStart + fs.growthPerMs * Math.max(0, tMs - this.historyStartMs));
    return Math.round(fs.sizeBytes * fraction);
  }

  /** What metering bills for the host at t: used bytes over its billable filesystems. */
  billableUsedBytes(p: HostProfile, tMs: number): bigint {
    return p.filesystems.filter((f) => f.billable).reduce((sum, f) => sum + BigInt(this.usedBytes(f, tMs)), 0n);
  }
}
