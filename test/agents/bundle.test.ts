// The standalone agent bundle: one file that runs on plain Node.js with nothing installed beside it.
import { spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import bcrypt from "bcryptjs";
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
    const child = spawn(process.execPath, [bundle, "--web.listen-address", `127.0.0.1:${port}`], {
      cwd: dir,
      stdio: ["ignore", "ignore", "pipe"],
    });
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
    const blocker = spawn(process.execPath, [bundle, "--web.listen-address", `127.0.0.1:${port}`], {
      cwd: dir,
      stdio: "ignore",
    });
    try {
      await waitForHttp(`http://127.0.0.1:${port}/healthz`);
      const result = await runNode([bundle, "--web.listen-address", `127.0.0.1:${port}`], { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stderr.trim()).toBe(
        `muniops-agent: --web.listen-address 127.0.0.1:${port}: address already in use`,
      );
    } finally {
      blocker.kill("SIGTERM");
      await new Promise((resolve) => blocker.once("exit", resolve));
    }
  });

  // The bundle loads the YAML parser and the web config's schema only when a file asks for them.
  it("reads a YAML --config and a --web.config.file with basic auth", async () => {
    const port = await freePort();
    writeFileSync(
      join(dir, "agent.yaml"),
      `agent:\n  web:\n    listenAddress: "127.0.0.1:${port}"\n    configFile: web.yml\n`,
    );
    writeFileSync(join(dir, "web.yml"), `basic_auth_users:\n  prometheus: ${bcrypt.hashSync("scrape-me", 4)}\n`);
    const child = spawn(process.execPath, [bundle, "--config", "agent.yaml"], {
      cwd: dir,
      stdio: ["ignore", "ignore", "pipe"],
    });
    try {
      const authorization = `Basic ${Buffer.from("prometheus:scrape-me").toString("base64")}`;
      const body = await waitForHttp(`http://127.0.0.1:${port}/metrics`, 20_000, {
        headers: { Authorization: authorization },
      });
      expect(body).toContain("muniops_agent_build_info{");
      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(401);
    } finally {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    }
  });

  it("exits 2 naming the file and line for a YAML error in --config", async () => {
    writeFileSync(join(dir, "broken.yaml"), "agent:\n  web: [unclosed\n");
    const result = await runNode([bundle, "--config", "broken.yaml"], { cwd: dir });
    expect(result.code).toBe(2);
    // line 3: where the parser finds the flow sequence unclosed (it used to say line 1 for every error)
    expect(result.stderr).toContain("broken.yaml:3: (file): YAML syntax error at column 1");
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});
