// Kernel agreement on the test machine: what the agent reports equals what the kernel says, read by
// another route (coreutils' stat, /proc/meminfo).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAgent, type RunningAgent } from "../../agents/agent.js";
import { parseSamples } from "./scrapeHelpers.js";
import { started } from "../helpers/started.js";

describe("kernel agreement", () => {
  let agent: RunningAgent;
  beforeAll(async () => {
    const collectors = ["cpu", "filesystem", "memory", "diskstats", "netdev", "filefd", "conntrack", "vmstat", "stat"];
    agent = await startAgent({ listenAddress: "127.0.0.1:0", collectors, timeoutSeconds: 5 });
  });
  afterAll(async () => {
    await started(agent)?.close();
  });
  const scrape = async (): Promise<ReturnType<typeof parseSamples>> =>
    parseSamples(await (await fetch(`${agent.url}/metrics`)).text());

  it("reports the size of / exactly as statvfs does", async () => {
    const samples = await scrape();
    // %S fundamental block size, %b total blocks, %a blocks available to non-root, %c inodes (stat -f = statvfs).
    const [blockSize, blocks, avail, files] = execFileSync("stat", ["-f", "--format=%S %b %a %c", "/"], {
      encoding: "utf8",
    })
      .trim()
      .split(" ")
      .map(Number);
    const root = (name: string): number | undefined =>
      samples.find((s) => s.name === name && s.labels.mountpoint === "/")?.value;
    expect(root("muniops_filesystem_size_bytes")).toBe(blockSize! * blocks!);
    expect(root("muniops_filesystem_files")).toBe(files);
    // Free space moves while other tests write; it must be within 1 GiB of what statvfs saw a moment ago.
    expect(Math.abs(root("muniops_filesystem_avail_bytes")! - blockSize! * avail!)).toBeLessThan(1024 ** 3);
  });

  it("reports MemTotal from /proc/meminfo as muniops_memory_total_bytes", async () => {
    const samples = await scrape();
    const memTotalKb = Number(/^MemTotal:\s+(\d+) kB$/m.exec(readFileSync("/proc/meminfo", "utf8"))?.[1]);
    expect(samples.find((s) => s.name === "muniops_memory_total_bytes")?.value).toBe(memTotalKb * 1024);
  });

  it("never reports a CPU counter lower than in the previous scrape", async () => {
    let previous = new Map<string, number>();
    for (let i = 0; i < 20; i++) {
      const current = new Map(
        (await scrape())
          .filter((s) => s.name === "muniops_cpu_seconds_total")
          .map((s) => [JSON.stringify(s.labels), s.value]),
      );
      expect(current.size).toBeGreaterThan(0);
      for (const [key, value] of previous) expect(current.get(key), key).toBeGreaterThanOrEqual(value);
      previous = current;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });

  // Issue 19's collectors, against the same counters read another way: sysfs and sysctl(8).
  it("reports each disk's completed reads and writes as /sys/block/<dev>/stat does", async () => {
    const sysfs = (device: string): number[] =>
      readFileSync(`/sys/block/${device}/stat`, "utf8").trim().split(/\s+/).map(Number);
    const samples = await scrape();
    const disks = samples.filter((s) => s.name === "muniops_disk_reads_completed_total").map((s) => s.labels.device!);
    expect(disks.length).toBeGreaterThan(0);
    for (const device of disks) {
      const after = sysfs(device);
      const value = (name: string): number => samples.find((s) => s.name === name && s.labels.device === device)!.value;
      const reads = value("muniops_disk_reads_completed_total");
      const writes = value("muniops_disk_writes_completed_total");
      // Read after the scrape, so the kernel's counters can only have grown since.
      expect(reads).toBeLessThanOrEqual(after[0]!);
      expect(writes).toBeLessThanOrEqual(after[4]!);
      expect(after[0]! - reads).toBeLessThan(10_000);
    }
  });

  it("reports each interface's packets as /sys/class/net/<dev>/statistics does", async () => {
    const samples = await scrape();
    const lo = (name: string): number => samples.find((s) => s.name === name && s.labels.device === "lo")!.value;
    const statistic = (file: string): number => Number(readFileSync(`/sys/class/net/lo/statistics/${file}`, "utf8"));
    const received = lo("muniops_network_receive_packets_total");
    expect(received).toBeLessThanOrEqual(statistic("rx_packets"));
    expect(statistic("rx_packets") - received).toBeLessThan(100_000);
    expect(lo("muniops_network_receive_errors_total")).toBeLessThanOrEqual(statistic("rx_errors"));
  });

  it("reports fs.file-max and nf_conntrack_max as sysctl does", async () => {
    const samples = await scrape();
    const sysctl = (key: string): number => Number(execFileSync("sysctl", ["-n", key], { encoding: "utf8" }).trim());
    expect(samples.find((s) => s.name === "muniops_filefd_maximum")?.value).toBe(sysctl("fs.file-max"));
    const limit = samples.find((s) => s.name === "muniops_nf_conntrack_entries_limit")?.value;
    // Only where nf_conntrack is loaded; without it the collector reports nothing (tested on fixtures).
    if (limit !== undefined) expect(limit).toBe(sysctl("net.netfilter.nf_conntrack_max"));
  });

  it("never reports vmstat, stat or diskstats counters lower than in the previous scrape", async () => {
    const counters = /^muniops_(vmstat_.*|disk_.*_total|forks_total|context_switches_total|interrupts_total)$/;
    let previous = new Map<string, number>();
    for (let i = 0; i < 10; i++) {
      const current = new Map(
        (await scrape()).filter((s) => counters.test(s.name)).map((s) => [s.name + JSON.stringify(s.labels), s.value]),
      );
      expect(current.size).toBeGreaterThan(10);
      for (const [key, value] of previous) expect(current.get(key), key).toBeGreaterThanOrEqual(value);
      previous = current;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
});
