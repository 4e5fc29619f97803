// Waves, resume and history of `muniops agents deploy` against a real OpenSSH server and real agent
// bundles (the deploying tests get 5 minutes: several deploys each, slow on a busy 2-core machine). A
// "failing host" is one whose address no sshd listens on (127.0.0.3): it fails at connect, the first
// thing a deploy does, as an unreachable server would.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, repoRoot, type CliResult } from "../../helpers/cli.js";
import {
  buildBundles,
  hostLines,
  killAgents,
  metricsVersion,
  rollout,
  snapshot,
  waveLines,
  writeInventory,
  type RolloutArgs,
  type TestHost,
} from "./fleet.js";
import { startSshd, type Sshd } from "./sshd.js";
import { started } from "../../helpers/started.js";

let dir: string;
let sshd: Sshd;
let v1: string;
let v2: string;
const unreachable = "127.0.0.3";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "muniops-waves-"));
  sshd = await startSshd(join(dir, "sshd"));
  [v1, v2] = (await buildBundles(dir, ["1.0.0", "2.0.0"])) as [string, string];
});

afterAll(async () => {
  await started(sshd)?.stop();
  if (dir) {
    const hostsRoot = join(dir, "hosts");
    if (existsSync(hostsRoot)) for (const name of readdirSync(hostsRoot)) killAgents(join(hostsRoot, name));
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A fleet of its own: an inventory, known_hosts, prefixes and history file in `name/`. */
async function fleet(
  name: string,
  names: readonly string[],
  extra: (name: string) => Record<string, unknown> = () => ({}),
): Promise<{ base: RolloutArgs; hosts: TestHost[]; history: string }> {
  const root = join(dir, name);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const inventory = join(root, "inventory.json");
  const hosts = await writeInventory(inventory, names, extra);
  const base = { sshd, inventory, knownHosts: join(root, "known_hosts"), prefix: join(dir, "hosts", name, "{host}") };
  return { base, hosts, history: join(root, "rollout-history.jsonl") };
}

const hostDir = (fleetName: string, host: string): string => join(dir, "hosts", fleetName, host);
const portOf = (hosts: readonly TestHost[], name: string): number => hosts.find((h) => h.name === name)!.agentPort;

describe("agents deploy --canary, --wave-size, --max-failures, --order", () => {
  it("rejects a bad --wave-size, --max-failures or --order naming the flag and the valid values (exit 2)", async () => {
    const { base } = await fleet("flags", ["app-01"]);
    const cases: [string[], string[]][] = [
      [
        ["--wave-size", "ten"],
        ["--wave-size", "a count (e.g. 5) or a percentage from 0% to 100%"],
      ],
      [
        ["--max-failures", "150%"],
        ["--max-failures", "a count (e.g. 5) or a percentage"],
      ],
      [
        ["--order", "size"],
        ["--order", "inventory", "environment", "department"],
      ],
      [["--canary", "-1"], ["--canary"]],
    ];
    for (const [args, expected] of cases) {
      const result = await rollout("deploy", base, ["--bundle", v1, ...args]);
      expect(result.code, result.stderr).toBe(2);
      for (const text of expected) expect(result.stderr).toContain(text);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("a failing host in the canary stops the rollout, and no other host is touched", async () => {
    // --order environment puts the dev host first: it is the canary.
    const names = ["app-01", "app-02", "bad-01", "app-03"];
    const { base, history } = await fleet("canary", names, (n) =>
      n === "bad-01" ? { address: unreachable, environment: "dev" } : { environment: "prod" },
    );
    const result = await rollout("deploy", base, [
      "--bundle",
      v1,
      "--accept-new",
      "--order",
      "environment",
      "--canary",
      "1",
      "--wave-size",
      "50%",
    ]);
    expect(result.code, result.stderr).toBe(1);
    const lines = hostLines(result);
    expect(lines.get("bad-01")).toMatchObject({ status: "failed", wave: 0 });
    for (const name of ["app-01", "app-02", "app-03"]) expect(lines.get(name)?.status).toBe("not-started");
    expect(waveLines(result).map((w) => [w.name, w.status])).toEqual([
      ["canary", "stopped"],
      ["wave 1", "not-started"],
      ["wave 2", "not-started"],
    ]);
    expect(result.stderr).toContain("deploy stopped in canary");
    // Nothing touched: no prefix on any host, and the other hosts' key was never even fetched.
    expect(snapshot(join(dir, "hosts", "canary"))).toEqual([]);
    expect(existsSync(base.knownHosts)).toBe(false);
    const record = JSON.parse(readFileSync(history, "utf8").trim()) as { status: string; waves: unknown[] };
    expect(record.status).toBe("stopped");
    expect(record.waves).toHaveLength(3);
  });

  it("more failures in a wave than --max-failures stops the rollout and rolls that wave back", async () => {
    const names = ["app-01", "app-02", "app-03", "app-04", "bad-02", "app-05"];
    const { base, hosts } = await fleet("wave", names, (n) => (n === "bad-02" ? { address: unreachable } : {}));
    const first = await rollout("deploy", base, ["--bundle", v1, "--accept-new", "--hosts", "app-*"]);
    expect(first.code, first.stderr).toBe(0);
    const untouched = snapshot(hostDir("wave", "app-05"));

    // canary app-01; wave 1 app-02, app-03; wave 2 app-04, bad-02 (fails); wave 3 app-05.
    const args = ["--bundle", v2, "--canary", "1", "--wave-size", "2", "--max-failures", "0"];
    const result = await rollout("deploy", base, args);
    expect(result.code, result.stderr).toBe(1);
    const lines = hostLines(result);
    for (const name of ["app-01", "app-02", "app-03"]) {
      expect(lines.get(name)?.status).toBe("deployed");
      expect(await metricsVersion(portOf(hosts, name))).toBe("2.0.0");
    }
    expect(lines.get("bad-02")).toMatchObject({ status: "failed", wave: 2 });
    expect(lines.get("app-04")).toMatchObject({ status: "rolled-back", wave: 2, from: "2.0.0", to: "1.0.0" });
    expect(lines.get("app-04")?.error).toContain("wave 2 stopped: 1 of 2 hosts failed (tolerated: 0)");
    expect(await metricsVersion(portOf(hosts, "app-04"))).toBe("1.0.0");
    expect(lines.get("app-05")?.status).toBe("not-started");
    expect(snapshot(hostDir("wave", "app-05"))).toEqual(untouched);
    expect(waveLines(result).map((w) => [w.name, w.status, w.rolledBack])).toEqual([
      ["canary", "ok", 0],
      ["wave 1", "ok", 0],
      ["wave 2", "stopped", 1],
      ["wave 3", "not-started", 0],
    ]);
    expect(result.stderr).toMatch(/wave 2 .*stopped/);
  }, 300_000);
});

/** Run a deploy in a child process and send it SIGINT as soon as it reports its first wave. */
function interruptAfterFirstWave(base: RolloutArgs, extra: readonly string[], history: string): Promise<CliResult> {
  const args = [
    ...["--import", "tsx", join(repoRoot, "muniops.ts"), "agents", "deploy", "--inventory", base.inventory],
    ...["--ssh-port", String(base.sshd.port), "--ssh-user", base.sshd.user, "--identity", base.sshd.identity],
    ...["--known-hosts", base.knownHosts, "--service-manager", "supervisor", "--prefix", base.prefix],
    ...["--history-file", history, ...extra],
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: repoRoot,
      env: { ...process.env, SSH_AUTH_SOCK: "", MUNIOPS_LOG_LEVEL: "warn" },
    });
    let stdout = "";
    let stderr = "";
    let sent = false;
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!sent && stdout.includes('"type":"wave"')) {
        sent = true;
        child.kill("SIGINT");
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("exit", (code) => {
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}

describe("agents deploy --resume and agents history", () => {
  it("an interrupted rollout resumes, skipping the hosts it had finished, and both runs are recorded", async () => {
    const names = ["app-01", "app-02", "app-03", "app-04", "app-05", "app-06", "app-07", "app-08"];
    const { base, hosts, history } = await fleet("resume", names);
    const waved = ["--bundle", v1, "--accept-new", "--wave-size", "2", "--parallel", "2"];
    const interrupted = await interruptAfterFirstWave(base, waved, history);
    expect(interrupted.code, interrupted.stderr).toBe(1);
    expect(interrupted.stderr).toContain("deploy interrupted (continue with --resume)");
    const before = hostLines(interrupted);
    const done = names.filter((n) => before.get(n)?.status === "deployed");
    const notStarted = names.filter((n) => before.get(n)?.status === "not-started");
    expect(done.slice(0, 2)).toEqual(["app-01", "app-02"]);
    expect(notStarted.length).toBeGreaterThan(0);
    expect(done.length + notStarted.length).toBe(names.length);

    const resumed = await rollout("deploy", base, [...waved, "--resume"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const after = hostLines(resumed);
    for (const name of names) {
      expect(after.get(name)?.status, name).toBe(done.includes(name) ? "skipped" : "deployed");
      expect(await metricsVersion(portOf(hosts, name))).toBe("1.0.0");
    }

    const listed = await runCli(["agents", "history", "--history-file", history, "--format", "json"]);
    expect(listed.code, listed.stderr).toBe(0);
    const records = listed.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.map((r) => r.status)).toEqual(["completed", "interrupted"]); // newest first
    expect(records[0]).toMatchObject({ version: "1.0.0", resumes: records[1]!.id });
    expect(records[1]).toMatchObject({ version: "1.0.0", options: { waveSize: "2", parallel: 2, resume: false } });
    expect((records[1]!.hosts as unknown[]).length).toBe(names.length);
    expect(typeof records[1]!.user).toBe("string");

    const table = await runCli(["agents", "history", "--history-file", history]);
    expect(table.stdout).toContain("completed (resumed)");
    expect(table.stdout).toContain("interrupted");
    expect(table.stdout).toContain("wave 1: ok");
  }, 300_000);
});
