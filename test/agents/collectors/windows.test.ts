// The Windows (and macOS) paths map systeminformation's results to the same metrics as Linux; tested on
// recorded results, since CI has no Windows machine.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { statsFromFsSize } from "../../../agents/collectors/filesystem.js";
import { countersFromNetworkStats } from "../../../agents/collectors/netdev.js";
import { osLabelsFromOsInfo } from "../../../agents/collectors/os.js";
import { samplesFromOsCpus } from "../../../agents/collectors/cpu.js";
import type { FsSizeData, NetworkStatsData, OsData } from "../../../agents/systemInfo.js";
import { Cached } from "../../../agents/systemInfo.js";
import { repoRoot } from "../../helpers/cli.js";

const recorded = (name: string): unknown => JSON.parse(readFileSync(join(repoRoot, "test", "fixtures", "agent", "systeminformation", name), "utf8"));

describe("Windows collectors on recorded systeminformation results", () => {
  it("maps fsSize to filesystem stats, skipping drives without media", () => {
    const entries = statsFromFsSize(recorded("windows-fsSize.json") as FsSizeData[]);
    expect(entries.map((e) => e.labels)).toEqual([
      { device: "C:", fstype: "NTFS", mountpoint: "C:" },
      { device: "D:", fstype: "NTFS", mountpoint: "D:" },
    ]);
    expect(entries[1]?.stats).toEqual({ size: 549755809792, free: 549755809792 - 412316860416, avail: 137438949376, readonly: false });
  });

  it("maps networkStats to byte counters per interface", () => {
    expect(countersFromNetworkStats(recorded("windows-networkStats.json") as NetworkStatsData[])).toEqual([{ device: "Ethernet", receiveBytes: 918273645, transmitBytes: 123456789 }]);
  });

  it("maps osInfo to muniops_os_info labels", () => {
    expect(osLabelsFromOsInfo(recorded("windows-osInfo.json") as OsData, "x64")).toEqual({
      os: "windows",
      distro: "Microsoft Windows Server 2022 Datacenter",
      release: "10.0.20348",
      arch: "x64",
      hostname: "BEL-APP-01",
    });
  });

  it("turns os.cpus() milliseconds into seconds per mode", () => {
    const samples = samplesFromOsCpus([{ model: "Xeon", speed: 2600, times: { user: 1500, nice: 0, sys: 500, idle: 98000, irq: 20 } }]);
    expect(samples).toContainEqual({ labels: { cpu: "0", mode: "user" }, value: 1.5 });
    expect(samples).toContainEqual({ labels: { cpu: "0", mode: "idle" }, value: 98 });
  });
});

describe("Cached", () => {
  it("calls the slow source once per TTL, sharing one call between concurrent callers", async () => {
    let calls = 0;
    const cached = new Cached(async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return calls;
    }, 60_000);
    const [a, b] = await Promise.all([cached.get(), cached.get()]);
    expect([a, b, await cached.get()]).toEqual([1, 1, 1]);
    expect(calls).toBe(1);
  });
});
