// Real peers: promtool lints the agent's live output and the generated configuration and rules, and a
// real Prometheus, started with the generated configuration, scrapes a real agent.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAgent, type RunningAgent } from "../../agents/agent.js";
import { repoRoot, runCli } from "../helpers/cli.js";
import { freePort, waitForHttp } from "./helpers.js";
import { startVictoriaMetrics, type Peer } from "../dashboard/helpers/peers.js";
import { started } from "../helpers/started.js";

const promtool = "/usr/bin/promtool";
const prometheus = "/usr/bin/prometheus";
const fixtureInventory = join(repoRoot, "test", "fixtures", "inventory.json");

function requirePeer(path: string): void {
  if (!existsSync(path)) throw new Error(`${path} is missing: install Debian's prometheus package (.ci/run does)`);
}

function run(command: string, args: string[], input?: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = execFile(command, args, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, output: stdout + stderr });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

describe("generated Prometheus configuration", () => {
  const out = mkdtempSync(join(tmpdir(), "muniops-promcfg-"));
  afterAll(() => {
    rmSync(out, { recursive: true, force: true });
  });

  it("is written by `muniops prometheus-config` with one target file per department", async () => {
    const result = await runCli(["prometheus-config", "--inventory", fixtureInventory, "--out", out]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const inventory = JSON.parse(readFileSync(fixtureInventory, "utf8")) as {
      hosts: {
        name: string;
        address: string;
        agentPort: number;
        department: string;
        service: string;
        role: string;
        environment: string;
      }[];
    };
    const departments = [...new Set(inventory.hosts.map((h) => h.department))].sort();
    expect(readdirSync(join(out, "targets")).sort()).toEqual(departments.map((d) => `${d}.json`));
    for (const host of inventory.hosts) {
      const groups = JSON.parse(readFileSync(join(out, "targets", `${host.department}.json`), "utf8")) as {
        targets: string[];
        labels: Record<string, string>;
      }[];
      expect(groups).toContainEqual({
        targets: [`${host.address}:${host.agentPort}`],
        labels: {
          department: host.department,
          service: host.service,
          role: host.role,
          environment: host.environment,
          host: host.name,
        },
      });
    }
  });

  it("passes promtool check config", async () => {
    requirePeer(promtool);
    const result = await run(promtool, ["check", "config", join(out, "prometheus.yml")]);
    expect(result.output).toContain("SUCCESS");
    expect(result.code).toBe(0);
  });

  it("has alert rules that pass promtool test rules", async () => {
    requirePeer(promtool);
    copyFileSync(join(repoRoot, "test", "fixtures", "agent", "rules.test.yml"), join(out, "rules.test.yml"));
    const result = await run(promtool, ["test", "rules", join(out, "rules.test.yml")]);
    expect(result.output).toContain("SUCCESS");
    expect(result.code).toBe(0);
  });

  it("removes the target file of a department that no longer has hosts", async () => {
    writeFileSync(join(out, "targets", "opgeheven.json"), "[]\n");
    const result = await runCli(["prometheus-config", "--inventory", fixtureInventory, "--out", out]);
    expect(result.code).toBe(0);
    expect(existsSync(join(out, "targets", "opgeheven.json"))).toBe(false);
  });

  it("exits 2 naming the flag when --inventory is missing or unreadable", async () => {
    const missing = await runCli(["prometheus-config", "--out", out]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--inventory is required");
    const unreadable = await runCli(["prometheus-config", "--inventory", join(out, "nope.json"), "--out", out]);
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toContain("nope.json");
  });
});

describe("live agent output", () => {
  let agent: RunningAgent;
  beforeAll(async () => {
    const collectors = ["conntrack", "cpu", "diskstats", "filefd", "filesystem", "loadavg", "memory", "netdev", "os"];
    collectors.push("pressure", "stat", "textfile", "time", "timex", "vmstat");
    agent = await startAgent({ listenAddress: "127.0.0.1:0", collectors, timeoutSeconds: 5 });
  });
  afterAll(async () => {
    await started(agent)?.close();
  });

  it("passes promtool check metrics with no findings", async () => {
    requirePeer(promtool);
    const body = await (await fetch(`${agent.url}/metrics`)).text();
    const result = await run(promtool, ["check", "metrics"], body);
    expect(result.output).toBe("");
    expect(result.code).toBe(0);
  });
});

describe("end to end: Prometheus scrapes the agent with the generated configuration", () => {
  const dir = mkdtempSync(join(tmpdir(), "muniops-e2e-"));
  let agent: RunningAgent;
  let server: ChildProcess | undefined;
  let prometheusUrl = "";
  // The scale path: Prometheus also remote-writes everything to VictoriaMetrics, which metering can read.
  let victoria: Peer | undefined;

  beforeAll(async () => {
    requirePeer(prometheus);
    victoria = await startVictoriaMetrics(join(dir, "victoria"));
    agent = await startAgent({
      listenAddress: "127.0.0.1:0",
      collectors: ["cpu", "filesystem", "memory", "time"],
      timeoutSeconds: 5,
    });
    const inventory = JSON.parse(readFileSync(fixtureInventory, "utf8")) as { hosts: Record<string, unknown>[] };
    const host = { ...inventory.hosts[0], address: "127.0.0.1", agentPort: agent.port };
    writeFileSync(join(dir, "inventory.json"), JSON.stringify({ ...inventory, hosts: [host] }));
    const generated = await runCli([
      "prometheus-config",
      "--inventory",
      join(dir, "inventory.json"),
      "--out",
      join(dir, "prom"),
      "--scrape-interval",
      "1s",
      "--remote-write-url",
      `${victoria.url}/api/v1/write`,
    ]);
    expect(generated.code, generated.stderr).toBe(0);
    const port = await freePort();
    prometheusUrl = `http://127.0.0.1:${port}`;
    let log = "";
    server = spawn(
      prometheus,
      [
        `--config.file=${join(dir, "prom", "prometheus.yml")}`,
        `--storage.tsdb.path=${join(dir, "data")}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    server.stderr?.on("data", (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
    // Fail at once, with Prometheus's own words, if it rejects the generated configuration.
    const exited = new Promise<never>((_resolve, reject) =>
      server?.once("exit", (code) => {
        reject(new Error(`prometheus exited with ${code}: ${log}`));
      }),
    );
    exited.catch(() => undefined); // the normal stop in afterAll is not a failure
    await Promise.race([waitForHttp(`${prometheusUrl}/-/ready`, 30_000), exited]);
  }, 60_000);
  afterAll(async () => {
    if (server && server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((resolve) => server?.once("exit", resolve));
    }
    await started(agent)?.close();
    await victoria?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("remote-writes the samples, with the inventory's labels, to VictoriaMetrics", async () => {
    const deadline = Date.now() + 30_000;
    let series: Record<string, string>[] = [];
    while (Date.now() < deadline) {
      const response = await fetch(
        `${victoria!.url}/api/v1/series?match[]=${encodeURIComponent('muniops_filesystem_size_bytes{mountpoint="/"}')}`,
      );
      series = ((await response.json()) as { data: Record<string, string>[] }).data;
      if (series.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(series).toContainEqual(
      expect.objectContaining({
        job: "muniops-agent",
        department: "burgerzaken",
        host: "bz-app-01",
        instance: "bz-app-01",
        mountpoint: "/",
      }),
    );
  });

  async function query(promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
    const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await response.json()) as {
      status: string;
      data: { result: { metric: Record<string, string>; value: [number, string] }[] };
    };
    return body.data.result;
  }

  async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error("condition not met in time");
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  it("shows up == 1 and the filesystem size labelled with the inventory's department", async () => {
    const up = await eventually(async () => (await query('up{job="muniops-agent"}')).find((r) => r.value[1] === "1"));
    expect(up.metric).toMatchObject({
      department: "burgerzaken",
      host: "bz-app-01",
      environment: "prod",
      role: "app",
      instance: "bz-app-01",
    });
    const sizes = await eventually(async () => {
      const result = await query('muniops_filesystem_size_bytes{mountpoint="/"}');
      return result.length > 0 ? result : undefined;
    });
    expect(sizes[0]?.metric.department).toBe("burgerzaken");
    expect(Number(sizes[0]?.value[1])).toBeGreaterThan(0);
  });
});
