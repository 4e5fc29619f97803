// `muniops agent` as an operator runs it: node_exporter-style flags, and bad configuration failing with
// one clear line and exit 2.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot, runCli } from "../helpers/cli.js";
import { freePort, waitForHttp } from "./helpers.js";
import { parseSamples } from "./scrapeHelpers.js";

describe("muniops agent: bad configuration", () => {
  it.each([
    [
      "a bad regex",
      ["--collector.filesystem.mount-points-exclude", "^/(proc"],
      /^muniops: --collector\.filesystem\.mount-points-exclude: invalid regular expression "\^\/\(proc": /,
    ],
    [
      "conflicting flags",
      ["--collector.netdev.device-include", "^eth", "--collector.netdev.device-exclude", "^lo$"],
      /^muniops: --collector\.netdev\.device-include and --collector\.netdev\.device-exclude are mutually exclusive/,
    ],
    [
      "an unreadable web config",
      ["--web.config.file", "/nonexistent/web.yml"],
      /^muniops: --web\.config\.file \/nonexistent\/web\.yml: ENOENT/,
    ],
    [
      "a malformed listen address",
      ["--web.listen-address", "9110"],
      /^muniops: --web\.listen-address: expected \[host\]:port/,
    ],
  ])("exits 2 with one line for %s", async (_what, args, message) => {
    const result = await runCli(["agent", "--web.listen-address", "127.0.0.1:0", ...args]);
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });

  it("exits 2 when the port is already in use", async () => {
    const port = await freePort();
    const first = spawn(
      process.execPath,
      ["--import", "tsx", join(repoRoot, "muniops.ts"), "agent", "--web.listen-address", `127.0.0.1:${port}`],
      { cwd: repoRoot, stdio: "ignore" },
    );
    try {
      await waitForHttp(`http://127.0.0.1:${port}/healthz`);
      const second = await runCli(["agent", "--web.listen-address", `127.0.0.1:${port}`]);
      expect(second.code).toBe(2);
      expect(second.stderr.trim()).toBe(`muniops: --web.listen-address 127.0.0.1:${port}: address already in use`);
    } finally {
      first.kill("SIGTERM");
      await new Promise((resolve) => first.once("exit", resolve));
    }
  });
});

describe("muniops agent: collector switches", () => {
  it(
    "runs only what --collector.disable-defaults plus " + "--collector.<id> ask for, and honours --no-collector.<id>",
    async () => {
      const port = await freePort();
      const args = [
        "agent",
        "--web.listen-address",
        `127.0.0.1:${port}`,
        "--collector.disable-defaults",
        "--collector.memory",
        "--collector.loadavg",
        "--no-collector.loadavg",
      ];
      const child = spawn(process.execPath, ["--import", "tsx", join(repoRoot, "muniops.ts"), ...args], {
        cwd: repoRoot,
        stdio: "ignore",
      });
      try {
        const samples = parseSamples(await waitForHttp(`http://127.0.0.1:${port}/metrics`));
        const collectors = samples
          .filter((s) => s.name === "muniops_scrape_collector_success")
          .map((s) => s.labels.collector);
        expect(collectors).toEqual(["memory"]);
        expect(samples.some((s) => s.name === "muniops_memory_total_bytes")).toBe(true);
        // The landing page and health check answer too.
        expect(await waitForHttp(`http://127.0.0.1:${port}/healthz`)).toBe("ok\n");
        expect(await waitForHttp(`http://127.0.0.1:${port}/`)).toContain('href="metrics"');
        expect((await fetch(`http://127.0.0.1:${port}/nope`)).status).toBe(404);
      } finally {
        child.kill("SIGTERM");
        await new Promise((resolve) => child.once("exit", resolve));
      }
      expect(child.exitCode).toBe(0);
    },
  );
});
