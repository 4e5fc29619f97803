// Kernel agreement on the test machine: what the agent reports equals what the kernel says, read by
// another route (coreutils' stat, /proc/meminfo).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAgent, type RunningAgent } from "../../agents/agent.js";
import { parseSamples } from "./scrapeHelpers.js";

describe("kernel agreement", () => {
  let agent: RunningAgent;
  beforeAll(async () => {
    agent = await startAgent({ listenAddress: "127.0.0.1:0", collectors: ["cpu", "filesystem", "memory"], timeoutSeconds: 5 });
  });
  afterAll(async () => {
    await agent.close();
  });
  const scrape = async (): Promise<ReturnType<typeof parseSamples>> => parseSamples(await (await fetch(`${agent.url}/metrics`)).text());

  it("reports the size of / exactly as statvfs does", async () => {
    const samples = await scrape();
    // %S fundamental block size, %b total blocks, %a blocks available to non-root, %c inodes (stat -f = statvfs).
    const [blockSize, blocks, avail, files] = execFileSync("stat", ["-f", "--format=%S %b %a %c", "/"], { encoding: "utf8" }).trim().split(" ").map(Number);
    const root = (name: string): number | undefined => samples.find((s) => s.name === name && s.labels.mountpoint === "/")?.value;
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
      const current = new Map((await scrape()).filter((s) => s.name === "muniops_cpu_seconds_total").map((s) => [JSON.stringify(s.labels), s.value]));
      expect(current.size).toBeGreaterThan(0);
      for (const [key, value] of previous) expect(current.get(key), key).toBeGreaterThanOrEqual(value);
      previous = current;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
});
