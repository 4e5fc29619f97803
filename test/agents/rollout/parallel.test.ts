// A parallel deploy to 20 loopback targets behind one sshd, one of them broken: its agent port is
// already taken by another service, so the new agent can't start there. 19 succeed, 1 fails, exit 1.
import { createServer, type Server } from "node:http";
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildBundles,
  hostLines,
  killAgents,
  metricsVersion,
  rollout,
  writeInventory,
  type RolloutArgs,
  type TestHost,
} from "./fleet.js";
import { startSshd, type Sshd } from "./sshd.js";
import { started } from "../../helpers/started.js";

let dir: string;
let sshd: Sshd;
let hosts: TestHost[];
let base: RolloutArgs;
let bundle: string;
let squatter: Server;
const hostsDir = (): string => join(dir, "hosts");

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "muniops-rollout20-"));
  sshd = await startSshd(join(dir, "sshd"));
  bundle = (await buildBundles(dir, ["2.0.0"]))[0]!;
  const inventory = join(dir, "inventory.json");
  hosts = await writeInventory(
    inventory,
    Array.from({ length: 20 }, (_v, i) => `app-${String(i + 1).padStart(2, "0")}`),
  );
  base = { sshd, inventory, knownHosts: join(dir, "known_hosts"), prefix: join(hostsDir(), "{host}") };
  // Something else already answers on app-07's agent port, without the agent's build info.
  squatter = createServer((_req, res) => res.end("# not the muniops agent\nsome_other_exporter_up 1\n"));
  await new Promise<void>((resolve) => squatter.listen(hosts[6]!.agentPort, "127.0.0.1", resolve));
});

afterAll(async () => {
  killAgents(hostsDir());
  if (started(squatter)) await new Promise((resolve) => squatter.close(resolve));
  await started(sshd)?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("parallel deploy", () => {
  it("deploys 20 targets 10 at a time: 19 succeed, the broken one fails, exit 1", async () => {
    const result = await rollout("deploy", base, [
      "--bundle",
      bundle,
      "--accept-new",
      "--parallel",
      "10",
      "--health-timeout",
      "5",
    ]);
    expect(result.code, result.stderr).toBe(1);
    const lines = hostLines(result);
    expect(lines.size).toBe(20);
    const failed = [...lines.values()].filter((l) => l.status !== "deployed");
    expect(failed.map((l) => l.host)).toEqual(["app-07"]);
    expect(failed[0]!.status).toBe("failed");
    expect(failed[0]!.error).toContain("/metrics has no muniops_agent_build_info");
    expect(failed[0]!.error).toContain("nothing to roll back to");
    // The failed first install was removed again; the 19 others answer with the new version.
    expect(existsSync(join(hostsDir(), "app-07", "current"))).toBe(false);
    const versions = await Promise.all(
      hosts.filter((h) => h.name !== "app-07").map((h) => metricsVersion(h.agentPort)),
    );
    expect(versions).toEqual(Array.from({ length: 19 }, () => "2.0.0"));
    expect(result.stderr).toContain("20 hosts, 19 ok, 1 failed");
    expect(result.stderr).toContain("deploy failed on 1 of 20 hosts: app-07");
  }, 180_000);
});
