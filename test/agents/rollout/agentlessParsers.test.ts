// The agentless parsers on real command output captured from a Debian host (test/fixtures/rollout/).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  agentlessExposition,
  agentlessFamilies,
  splitOutput,
  type AgentlessOutput,
} from "../../../agents/agentless/collect.js";
import { parseDf } from "../../../agents/agentless/dfParser.js";

const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/rollout/${name}`, import.meta.url), "utf8");
const output: AgentlessOutput = {
  dfBlocks: fixture("df-PTk.txt"),
  dfInodes: fixture("df-PTi.txt"),
  meminfo: fixture("meminfo.txt"),
  mounts: fixture("mounts.txt"),
};

/** The numbers straight from the fixture line for a mount point: the test's own reading of df. */
function dfLine(text: string, mountpoint: string): number[] {
  const line = text.split("\n").find((l) => l.trimEnd().endsWith(` ${mountpoint}`));
  if (!line) throw new Error(`no ${mountpoint} in fixture`);
  return line.trim().split(/\s+/).slice(2, 5).map(Number);
}

describe("parseDf", () => {
  it("reads every row of df -PTk with device, type, numbers and mount point", () => {
    const rows = parseDf(output.dfBlocks);
    const dataLines = output.dfBlocks.trim().split("\n").length - 1;
    expect(rows).toHaveLength(dataLines);
    const root = rows.find((r) => r.mountpoint === "/");
    const [total, used, available] = dfLine(output.dfBlocks, "/");
    expect(root).toEqual({ device: "/dev/vda", fstype: "ext4", total, used, available, mountpoint: "/" });
  });

  it("keeps spaces in mount points and device names, and skips the header and blank lines", () => {
    const text =
      "Filesystem     Type 1024-blocks  Used Available Capacity Mounted on\n//nas/Gedeelde Map cifs 1000 400 " +
      "600 40% /mnt/Gedeelde Map\n\n/dev/sdb1 xfs 2000 0 2000 0% /data\n";
    expect(parseDf(text)).toEqual([
      {
        device: "//nas/Gedeelde Map",
        fstype: "cifs",
        total: 1000,
        used: 400,
        available: 600,
        mountpoint: "/mnt/Gedeelde Map",
      },
      { device: "/dev/sdb1", fstype: "xfs", total: 2000, used: 0, available: 2000, mountpoint: "/data" },
    ]);
  });
});

describe("agentless exposition", () => {
  it("emits the agent's filesystem metrics in bytes, leaving out the agent's excluded types and mounts", () => {
    const { families } = agentlessFamilies(output);
    const byName = new Map(families.map((f) => [f.name, f]));
    const [total, used, available] = dfLine(output.dfBlocks, "/");
    const root = { device: "/dev/vda", fstype: "ext4", mountpoint: "/" };
    expect(byName.get("muniops_filesystem_size_bytes")?.samples).toContainEqual({ labels: root, value: total! * 1024 });
    expect(byName.get("muniops_filesystem_free_bytes")?.samples).toContainEqual({
      labels: root,
      value: (total! - used!) * 1024,
    });
    expect(byName.get("muniops_filesystem_avail_bytes")?.samples).toContainEqual({
      labels: root,
      value: available! * 1024,
    });
    const [inodes, , inodesFree] = dfLine(output.dfInodes, "/");
    expect(byName.get("muniops_filesystem_files")?.samples).toContainEqual({ labels: root, value: inodes });
    expect(byName.get("muniops_filesystem_files_free")?.samples).toContainEqual({ labels: root, value: inodesFree });
    const mountpoints = byName.get("muniops_filesystem_size_bytes")!.samples.map((s) => s.labels!.mountpoint);
    // devtmpfs on /dev and the cgroup mount under /sys are excluded, as node_exporter and the agent do.
    expect(mountpoints).not.toContain("/dev");
    expect(mountpoints).not.toContain("/sys/fs/cgroup");
  });

  it("reports memory from MemTotal and MemAvailable in bytes, falling back on old kernels", () => {
    const kb = (key: string): number =>
      Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(output.meminfo)![1]) * 1024;
    const text = agentlessExposition(output, 0.25);
    expect(text).toContain(`muniops_memory_total_bytes ${kb("MemTotal")}\n`);
    expect(text).toContain(`muniops_memory_available_bytes ${kb("MemAvailable")}\n`);
    expect(text).toContain('muniops_scrape_collector_success{collector="memory"} 1');
    const oldKernel = { ...output, meminfo: output.meminfo.replace(/^MemAvailable:.*\n/m, "") };
    expect(agentlessExposition(oldKernel, 0)).toContain(
      `muniops_memory_available_bytes ${kb("MemFree") + kb("Buffers") + kb("Cached")}\n`,
    );
  });

  it("marks a collector failed when its command printed nothing", () => {
    const text = agentlessExposition({ ...output, meminfo: "" }, 0);
    expect(text).toContain('muniops_scrape_collector_success{collector="memory"} 0');
    expect(text).not.toContain("muniops_memory_total_bytes");
  });

  it("splits the combined command output into its four parts", () => {
    const joined = [output.dfBlocks, output.dfInodes, output.meminfo, output.mounts].join("@@muniops-agentless@@\n");
    expect(splitOutput(joined)).toEqual(output);
  });
});
