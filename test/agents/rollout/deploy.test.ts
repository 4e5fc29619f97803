// `muniops agents deploy|status|rollback` against a real OpenSSH server and real agent bundles. Three
// loopback "hosts" share the sshd, each with its own prefix and agent port. The steps build on each
// other (install, upgrade, roll back, fail, refuse), as an operator's week would.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageVersion } from "../../../packageInfo.js";
import {
  buildBundles,
  hostLines,
  isAlive,
  killAgents,
  metricsVersion,
  pidOf,
  rollout,
  snapshot,
  writeInventory,
  type RolloutArgs,
  type TestHost,
} from "./fleet.js";
import { fingerprintFile, keygen, startSshd, type Sshd } from "./sshd.js";
import { started } from "../../helpers/started.js";

const brokenBundle = fileURLToPath(new URL("../../fixtures/rollout/brokenAgent.mjs", import.meta.url));

let dir: string;
let sshd: Sshd;
let hosts: TestHost[];
let base: RolloutArgs;
let v1: string;
let v2: string;
let hostFingerprint: string;
const hostsDir = (): string => join(dir, "hosts");

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "muniops-rollout-"));
  sshd = await startSshd(join(dir, "sshd"));
  hostFingerprint = await fingerprintFile(join(dir, "sshd", "ssh_host_ed25519_key.pub"));
  const bundles = await buildBundles(dir, ["1.0.0", "1.1.0"]);
  v1 = bundles[0]!;
  v2 = bundles[1]!;
  const inventory = join(dir, "inventory.json");
  hosts = await writeInventory(inventory, ["web-01", "web-02", "db-01"]);
  base = { sshd, inventory, knownHosts: join(dir, "known_hosts"), prefix: join(hostsDir(), "{host}") };
});

afterAll(async () => {
  killAgents(hostsDir());
  await started(sshd)?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("agents deploy over SSH", () => {
  it("refuses a host whose key is not in known_hosts, and installs nothing", async () => {
    const result = await rollout("deploy", base, ["--bundle", v1]);
    expect(result.code).toBe(1);
    const lines = hostLines(result);
    expect(lines.size).toBe(3);
    for (const line of lines.values()) {
      expect(line.status).toBe("failed");
      expect(line.error).toContain("is not in");
      expect(line.error).toContain(hostFingerprint);
      expect(line.error).toContain("--accept-new");
    }
    expect(existsSync(hostsDir())).toBe(false);
    expect(existsSync(base.knownHosts)).toBe(false);
  });

  it("--dry-run reports the plan and writes nothing, not even an accepted key", async () => {
    // Without --bundle, the bundle is built from this muniops, at its package version.
    const result = await rollout("deploy", base, ["--accept-new", "--dry-run"]);
    expect(result.code, result.stderr).toBe(0);
    for (const line of hostLines(result).values()) {
      expect(line.status).toBe("would-deploy");
      expect(line.to).toBe(packageVersion());
      expect(line.hostKey).toBe(`would-add ${hostFingerprint}`);
    }
    expect(existsSync(hostsDir())).toBe(false);
    expect(existsSync(base.knownHosts)).toBe(false);
  });

  it("deploys to 3 targets with --accept-new: each agent runs and answers /metrics with the new version", async () => {
    const result = await rollout("deploy", base, ["--bundle", v1, "--accept-new"]);
    expect(result.code, result.stderr).toBe(0);
    const lines = hostLines(result);
    for (const host of hosts) {
      expect(lines.get(host.name)?.status).toBe("deployed");
      expect(await metricsVersion(host.agentPort)).toBe("1.0.0");
    }
    // The key was written once, hashed, and OpenSSH finds it there.
    const written = readFileSync(base.knownHosts, "utf8").trim().split("\n");
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^\|1\|/);
    expect(result.stderr).toContain("3 hosts, 3 ok, 0 failed");
  });

  it("upgrades, reports status, and rolls one host back to the previous version", async () => {
    const upgrade = await rollout("deploy", base, ["--bundle", v2]);
    expect(upgrade.code, upgrade.stderr).toBe(0);
    for (const host of hosts) {
      expect(hostLines(upgrade).get(host.name)).toMatchObject({
        status: "deployed",
        from: "1.0.0",
        to: "1.1.0",
        previous: "1.0.0",
      });
      expect(await metricsVersion(host.agentPort)).toBe("1.1.0");
    }
    const status = await rollout("status", base, []);
    expect(status.code, status.stderr).toBe(0);
    for (const line of hostLines(status).values())
      expect(line).toMatchObject({ status: "up", running: "1.1.0", to: "1.1.0", previous: "1.0.0" });

    const back = await rollout("rollback", base, ["--hosts", "web-01"]);
    expect(back.code, back.stderr).toBe(0);
    expect(hostLines(back).get("web-01")).toMatchObject({ status: "rolled-back", from: "1.1.0", to: "1.0.0" });
    expect(await metricsVersion(hosts[0]!.agentPort)).toBe("1.0.0");
    expect(await metricsVersion(hosts[1]!.agentPort)).toBe("1.1.0");
  });

  it("rolls back when the new version fails its health check; the previous version keeps running", async () => {
    const result = await rollout("deploy", base, [
      "--bundle",
      brokenBundle,
      "--hosts",
      "web-02",
      "--health-timeout",
      "4",
    ]);
    expect(result.code).toBe(1);
    const line = hostLines(result).get("web-02");
    expect(line?.status).toBe("rolled-back");
    expect(line?.error).toMatch(/health check failed .*nothing listens on the agent port/);
    expect(line?.error).toContain("rolled back to 1.1.0");
    expect(await metricsVersion(hosts[1]!.agentPort)).toBe("1.1.0");
    expect(isAlive(pidOf(join(hostsDir(), "web-02")))).toBe(true);
    // The broken release is gone; current and previous are what they were.
    expect(readdirSync(join(hostsDir(), "web-02", "releases")).sort()).toEqual(["1.0.0", "1.1.0"]);
    expect(result.stderr).toContain("1 host, 0 ok, 1 failed");
  });

  it("--dry-run on installed hosts changes nothing", async () => {
    const before = snapshot(hostsDir());
    const knownHostsBefore = readFileSync(base.knownHosts, "utf8");
    const pids = hosts.map((h) => pidOf(join(hostsDir(), h.name)));
    const result = await rollout("deploy", base, ["--bundle", v2, "--dry-run"]);
    expect(result.code, result.stderr).toBe(0);
    expect(hostLines(result).get("web-01")).toMatchObject({ status: "would-deploy", from: "1.0.0", to: "1.1.0" });
    expect(hostLines(result).get("web-02")?.status).toBe("unchanged");
    expect(snapshot(hostsDir())).toEqual(before);
    expect(readFileSync(base.knownHosts, "utf8")).toBe(knownHostsBefore);
    expect(hosts.map((h) => pidOf(join(hostsDir(), h.name)))).toEqual(pids);
    expect(pids.every(isAlive)).toBe(true);
  });

  it("refuses a changed host key, showing both fingerprints, even with --accept-new", async () => {
    const impostor = join(dir, "impostor");
    const line = await keygen(impostor);
    const impostorFingerprint = await fingerprintFile(`${impostor}.pub`);
    const knownHosts = join(dir, "known_hosts_changed");
    writeFileSync(knownHosts, `[127.0.0.1]:${sshd.port} ${line.split(" ").slice(0, 2).join(" ")}\n`);
    const before = snapshot(hostsDir());
    const result = await rollout("deploy", { ...base, knownHosts }, ["--bundle", v2, "--accept-new"]);
    expect(result.code).toBe(1);
    for (const host of hostLines(result).values()) {
      expect(host.status).toBe("failed");
      expect(host.error).toContain("HOST KEY CHANGED");
      expect(host.error).toContain(hostFingerprint);
      expect(host.error).toContain(impostorFingerprint);
    }
    expect(snapshot(hostsDir())).toEqual(before);
  });

  it("refuses a host known only through a @cert-authority line, saying certificates are unsupported", async () => {
    const ca = await keygen(join(dir, "host_ca"));
    const knownHosts = join(dir, "known_hosts_ca");
    writeFileSync(knownHosts, `@cert-authority [127.0.0.1]:${sshd.port} ${ca.split(" ").slice(0, 2).join(" ")}\n`);
    const before = snapshot(hostsDir());
    const result = await rollout("deploy", { ...base, knownHosts }, ["--bundle", v2, "--hosts", "web-01"]);
    expect(result.code).toBe(1);
    const line = hostLines(result).get("web-01");
    expect(line?.status).toBe("failed");
    expect(line?.error).toContain(`${knownHosts}:1 trusts a @cert-authority`);
    expect(line?.error).toContain("host certificates are not supported");
    expect(line?.error).toContain(hostFingerprint);
    expect(snapshot(hostsDir())).toEqual(before);
  });

  it("rolls forward without re-uploading a release the host still has, then finds nothing to do", async () => {
    // web-01 was rolled back: 1.0.0 runs and 1.1.0 is its previous release, still on disk.
    const installed = join(hostsDir(), "web-01", "releases", "1.1.0", "muniops-agent.mjs");
    const before = statSync(installed);
    const forward = await rollout("deploy", base, ["--bundle", v2, "--hosts", "web-01"]);
    expect(forward.code, forward.stderr).toBe(0);
    expect(hostLines(forward).get("web-01")).toMatchObject({
      status: "deployed",
      from: "1.0.0",
      to: "1.1.0",
      previous: "1.0.0",
      reused: true,
    });
    expect(await metricsVersion(hosts[0]!.agentPort)).toBe("1.1.0");
    // The same file, not a new upload renamed into place.
    expect(statSync(installed).ino).toBe(before.ino);
    expect(statSync(installed).mtimeMs).toBe(before.mtimeMs);

    const pid = pidOf(join(hostsDir(), "web-01"));
    const again = await rollout("deploy", base, ["--bundle", v2, "--hosts", "web-01"]);
    expect(again.code, again.stderr).toBe(0);
    expect(hostLines(again).get("web-01")?.status).toBe("unchanged");
    expect(pidOf(join(hostsDir(), "web-01"))).toBe(pid);
    expect(isAlive(pid)).toBe(true);
  });
});
