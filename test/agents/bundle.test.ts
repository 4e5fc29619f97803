// The standalone agent bundle: one file that runs on plain Node.js with nothing installed beside it.
import { spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildAgentBundle } from "../../agents/bundle.js";
import { runNode } from "../helpers/cli.js";
import { freePort, waitForHttp } from "./helpers.js";

describe("buildAgentBundle", () => {
  // Built, then copied to a directory with no package.json and no node_modules, as on a server.
  const dir = mkdtempSync(join(tmpdir(), "muniops-bundle-"));
  const bundle = join(dir, "muniops-agent.mjs");

  beforeAll(async () => {
    const built = join(dir, "build", "muniops-agent.js");
    await buildAgentBundle({ outFile: built, version: "7.8.9-test" });
    copyFileSync(built, bundle);
  }, 60_000);
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("is a single file of reasonable size", () => {
    const size = statSync(bundle).size;
    expect(size).toBeGreaterThan(10_000);
    expect(size).toBeLessThan(3 * 1024 * 1024);
  });

  it("prints the version it was built with", async () => {
    const result = await runNode([bundle, "--version"], { cwd: dir });
    expect(result.stderr).toBe("");
    expect(result.stdout.trim()).toBe("7.8.9-test");
  });

  it("serves /metrics with muniops_agent_build_info carrying that version", async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [bundle, "--web.listen-address", `127.0.0.1:${port}`], { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
    try {
      const body = await waitForHttp(`http://127.0.0.1:${port}/metrics`);
      expect(body).toContain(`muniops_agent_build_info{version="7.8.9-test",runtime_version="${process.version}"} 1`);
      expect(body).toMatch(/^muniops_cpu_seconds_total\{cpu="0",mode="user"\} \d/m);
    } finally {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    }
  });

  it("exits 2 with one line when the port is taken", async () => {
    const port = await freePort();
    const blocker = spawn(process.execPath, [bundle, "--web.listen-address", `127.0.0.1:${port}`], { cwd: dir, stdio: "ignore" });
    try {
      await waitForHttp(`http://127.0.0.1:${port}/healthz`);
      const result = await runNode([bundle, "--web.listen-address", `127.0.0.1:${port}`], { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stderr.trim()).toBe(`muniops-agent: --web.listen-address 127.0.0.1:${port}: address already in use`);
    } finally {
      blocker.kill("SIGTERM");
      await new Promise((resolve) => blocker.once("exit", resolve));
    }
  });
});
