// The Windows paths, without a Windows machine: the agent's collectors run with platform 'win32' and call
// the real systeminformation, loaded as on Windows, whose own parsing runs on PowerShell output recorded
// on real Windows machines (test/fixtures/agent/windows/README.md says where each recording comes from).
import os from "node:os";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createCollectors } from "../../../agents/agent.js";
import { samplesFromOsCpus } from "../../../agents/collectors/cpu.js";
import { countersFromNetworkStats } from "../../../agents/collectors/netdev.js";
import type { MetricFamily } from "../../../agents/exposition.js";
import { formatText } from "../../../agents/exposition.js";
import { Cached, type NetworkStatsData } from "../../../agents/systemInfo.js";
import { repoRoot } from "../../helpers/cli.js";
import type { WindowsSystemInformation } from "./windowsSystemInformation.js";

const windows = vi.hoisted(() => ({ loaded: undefined as WindowsSystemInformation | undefined }));

// agents/systemInfo.ts imports systeminformation lazily; hand it the copy loaded as on Windows.
vi.mock("systeminformation", async () => {
  const { loadWindowsSystemInformation } = await import("./windowsSystemInformation.js");
  windows.loaded = loadWindowsSystemInformation();
  return { default: windows.loaded.si };
});

async function collect(id: string, arch = "x64"): Promise<string> {
  const [entry] = createCollectors({ collectors: [id], environment: { platform: "win32", arch } });
  if (!entry) throw new Error(`no ${id} collector`);
  const families: MetricFamily[] = await entry.collector.update();
  expect(windows.loaded?.unanswered).toEqual([]);
  return formatText(families);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("Windows collectors on recorded PowerShell output, parsed by systeminformation itself", () => {
  it("filesystem: Win32_LogicalDisk of a Windows Server becomes the filesystem metrics", async () => {
    const text = await collect("filesystem");
    expect(windows.loaded?.commands).toContainEqual(expect.stringMatching(/^Get-WmiObject Win32_logicaldisk /));
    const labels = '{device="C:",fstype="NTFS",mountpoint="C:"}';
    // The recording: Size 53562306560, FreeSpace 43160854528, Access 0 (not read-only).
    expect(text).toContain(`muniops_filesystem_size_bytes${labels} 53562306560\n`);
    expect(text).toContain(`muniops_filesystem_free_bytes${labels} 43160854528\n`);
    expect(text).toContain(`muniops_filesystem_avail_bytes${labels} 43160854528\n`);
    expect(text).toContain(`muniops_filesystem_readonly${labels} 0\n`);
    expect(text).toContain("# HELP muniops_filesystem_size_bytes Filesystem size in bytes. Cached for up to 60 s.");
    expect(text).not.toMatch(/^muniops_filesystem_files\{/m);
  });

  it("os: Win32_OperatingSystem becomes muniops_os_info", async () => {
    // Node's own answers on that machine, taken from the same recording (Version, CSName).
    vi.spyOn(os, "release").mockReturnValue("10.0.22621");
    vi.spyOn(os, "hostname").mockReturnValue("HPFIREFLY16P");
    const text = await collect("os");
    expect(windows.loaded?.commands).toContainEqual(expect.stringMatching(/^Get-CimInstance Win32_OperatingSystem /));
    expect(text).toContain(
      'muniops_os_info{os="windows",distro="Microsoft Windows 11 ' +
        'Pro",release="10.0.22621",arch="x64",hostname="HPFIREFLY16P"} 1\n',
    );
    expect(text).toContain("Cached for up to 1 h.");
  });
});

describe("Windows mappings without a recording", () => {
  // No published recording of Get-NetAdapterStatistics together with the interface list systeminformation
  // matches it against (os.networkInterfaces and Win32_NetworkAdapter from the same machine) was found:
  // this record is hand-written in the shape systeminformation returns (see the fixtures README).
  it("netdev: maps networkStats records to byte, error and drop counters per interface", () => {
    const records = JSON.parse(
      readFileSync(join(repoRoot, "test", "fixtures", "agent", "windows", "networkStats.hand-written.json"), "utf8"),
    ) as NetworkStatsData[];
    expect(countersFromNetworkStats(records)).toEqual([
      {
        device: "Ethernet",
        values: {
          muniops_network_receive_bytes_total: 918273645,
          muniops_network_receive_errors_total: 0,
          muniops_network_receive_drops_total: 0,
          muniops_network_transmit_bytes_total: 123456789,
          muniops_network_transmit_errors_total: 0,
          muniops_network_transmit_drops_total: 0,
        },
      },
    ]);
  });

  it("cpu: turns os.cpus() milliseconds into seconds per mode", () => {
    const samples = samplesFromOsCpus([
      { model: "Xeon", speed: 2600, times: { user: 1500, nice: 0, sys: 500, idle: 98000, irq: 20 } },
    ]);
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
