// Host selection, bounded parallelism, the build-info parser and the summary.
import { describe, expect, it } from "vitest";
import { hostMatcher, runFleet } from "../../../agents/rollout/fleet.js";
import { buildInfoVersion } from "../../../agents/rollout/healthCheck.js";
import { summaryTable } from "../../../agents/rollout/report.js";
import type { InventoryHost } from "../../../stacks/inventory.js";

const host = (name: string): InventoryHost => ({ name, address: "127.0.0.1", agentPort: 9110, department: "ict", service: "s", role: "r", environment: "test", os: "linux", vmSize: "x", vcpus: 1, memoryGiB: 1, disks: [] });

describe("--hosts globs", () => {
  it("includes, excludes and matches character classes", () => {
    const match = hostMatcher("bz-*,!bz-db-*");
    expect(["bz-app-01", "bz-db-01", "bel-app-01"].filter(match)).toEqual(["bz-app-01"]);
    expect(["web-01", "web-02", "web-10"].filter(hostMatcher("web-0[12]"))).toEqual(["web-01", "web-02"]);
    expect(["a", "b"].filter(hostMatcher(undefined))).toEqual(["a", "b"]);
    expect(["a.b", "axb"].filter(hostMatcher("a.b"))).toEqual(["a.b"]);
  });
});

describe("runFleet", () => {
  it("never runs more than --parallel hosts at once and returns results in inventory order", async () => {
    let active = 0;
    let peak = 0;
    const hosts = Array.from({ length: 12 }, (_v, i) => host(`h${i}`));
    const results = await runFleet(hosts, 4, async (h) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 30 - Number(h.name.slice(1)) * 2));
      active--;
      return { host: h.name, address: h.address, status: "deployed", durationMs: 0 };
    });
    expect(peak).toBe(4);
    expect(results.map((r) => r.host)).toEqual(hosts.map((h) => h.name));
  });
});

describe("buildInfoVersion", () => {
  it("reads the version label wherever it sits, ignoring runtime_version", () => {
    expect(buildInfoVersion('# HELP x\nmuniops_agent_build_info{runtime_version="v20.1.0",version="1.2.3"} 1\n')).toBe("1.2.3");
    expect(buildInfoVersion('muniops_agent_build_info{version="2.0.0",runtime_version="v20"} 1')).toBe("2.0.0");
    expect(buildInfoVersion("muniops_up 1\n")).toBeUndefined();
  });
});

describe("summaryTable", () => {
  it("counts a rolled-back deploy as failed", () => {
    const text = summaryTable([
      { host: "a", address: "10.0.0.1", status: "deployed", durationMs: 1200 },
      { host: "b", address: "10.0.0.2", status: "rolled-back", error: "health check failed; rolled back to 1.0.0", durationMs: 5000 },
    ]);
    expect(text).toContain("2 hosts, 1 ok, 1 failed");
  });
});
