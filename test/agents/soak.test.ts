// Soak: 5,000 scrapes in a row against the standalone agent, as Prometheus would over a kept-alive
// connection. After a warm-up (JIT, heap sizing), RSS must grow by less than 5 MB, and the agent must
// hold no more file descriptors and no child processes than before.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildAgentBundle } from "../../agents/bundle.js";
import { freePort, waitForHttp } from "./helpers.js";

const rssBytes = (pid: number): number =>
  Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]) * 1024;
const openFds = (pid: number): number => readdirSync(`/proc/${pid}/fd`).length;
const children = (pid: number): string[] =>
  readdirSync(`/proc/${pid}/task`).flatMap((task) =>
    readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim().split(" ").filter(Boolean),
  );

describe("soak: 5,000 scrapes", () => {
  const dir = mkdtempSync(join(tmpdir(), "muniops-soak-"));
  const bundle = join(dir, "muniops-agent.mjs");
  beforeAll(async () => {
    await buildAgentBundle({ outFile: bundle, version: "soak" });
  }, 60_000);
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps RSS growth under 5 MB and leaks no handles or children", async () => {
    const port = await freePort();
    const agent = spawn(
      process.execPath,
      [bundle, "--web.listen-address", `127.0.0.1:${port}`, "--log-level", "warn"],
      { stdio: "ignore" },
    );
    const pid = agent.pid!;
    const url = `http://127.0.0.1:${port}/metrics`;
    const scrape = async (): Promise<void> => {
      const response = await fetch(url, { headers: { "Accept-Encoding": "gzip" } });
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    };
    try {
      await waitForHttp(url);
      for (let i = 0; i < 1000; i++) await scrape();
      const before = { rss: rssBytes(pid), fds: openFds(pid), children: children(pid) };
      for (let i = 0; i < 5000; i++) await scrape();
      const after = { rss: rssBytes(pid), fds: openFds(pid), children: children(pid) };
      console.log(
        `soak: RSS ${(before.rss / 2 ** 20).toFixed(1)} → ${(after.rss / 2 ** 20).toFixed(1)} MiB, fds ` +
          `${before.fds} → ${after.fds}`,
      );
      expect(after.rss - before.rss).toBeLessThan(5 * 1024 * 1024);
      expect(after.fds).toBeLessThanOrEqual(before.fds);
      expect(before.children).toEqual([]);
      expect(after.children).toEqual([]);
    } finally {
      agent.kill("SIGTERM");
      await new Promise((resolve) => agent.once("exit", resolve));
    }
  }, 120_000);
});
