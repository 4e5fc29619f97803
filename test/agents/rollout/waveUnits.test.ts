// The wave plan on its own: amounts, rounding, --order and the cut into canary and waves.
import { describe, expect, it } from "vitest";
import type { InventoryHost } from "../../../contracts/inventory.js";
import { failureLimitOf, orderHosts, parseAmount, planWaves, waveSizeOf } from "../../../agents/rollout/waves.js";

const host = (name: string, environment: InventoryHost["environment"], department = "ict"): InventoryHost => ({
  ...{ name, address: "10.0.0.1", agentPort: 9100, department, service: "s", role: "app", environment },
  ...{ os: "linux", vmSize: "B2s", vcpus: 2, memoryGiB: 4, disks: [] },
});

describe("amounts", () => {
  it("parses counts and percentages and names the flag otherwise", () => {
    expect(parseAmount("5", "--wave-size")).toEqual({ count: 5 });
    expect(parseAmount("12.5%", "--wave-size")).toEqual({ percent: 12.5 });
    expect(() => parseAmount("101%", "--max-failures")).toThrow(
      '--max-failures: a count (e.g. 5) or a percentage from 0% to 100% (e.g. 25%), got "101%"',
    );
  });

  it("a wave size rounds up (never an empty wave), a failure limit rounds down", () => {
    expect(waveSizeOf({ percent: 10 }, 5)).toBe(1);
    expect(waveSizeOf({ percent: 0 }, 5)).toBe(1);
    expect(waveSizeOf({ count: 50 }, 5)).toBe(5);
    expect(failureLimitOf({ percent: 10 }, 5)).toBe(0);
    expect(failureLimitOf({ percent: 50 }, 5)).toBe(2);
    expect(failureLimitOf({ count: 1 }, 5)).toBe(1);
  });
});

describe("orderHosts", () => {
  const hosts = [host("p1", "prod", "zaken"), host("t1", "test", "zaken"), host("a1", "acc", "ict"), host("d1", "dev")];
  it("environment: dev, test, acc, then prod, the inventory's order within each", () => {
    expect(orderHosts(hosts, "environment").map((h) => h.name)).toEqual(["d1", "t1", "a1", "p1"]);
  });
  it("department: in the inventory's department order, test before prod within each", () => {
    expect(orderHosts(hosts, "department", ["zaken", "ict"]).map((h) => h.name)).toEqual(["t1", "p1", "d1", "a1"]);
  });
  it("inventory: as listed", () => {
    expect(orderHosts(hosts, "inventory").map((h) => h.name)).toEqual(["p1", "t1", "a1", "d1"]);
  });
});

describe("planWaves", () => {
  const ten = Array.from({ length: 10 }, (_v, i) => host(`h${i}`, "prod"));
  it("a canary that tolerates no failure, then waves over the rest", () => {
    const waves = planWaves(ten, { canary: 2, waveSize: { percent: 50 }, maxFailures: { percent: 25 } });
    expect(waves.map((w) => [w.name, w.hosts.length, w.maxFailures])).toEqual([
      ["canary", 2, 0],
      ["wave 1", 4, 1],
      ["wave 2", 4, 1],
    ]);
    expect(waves.flatMap((w) => w.hosts.map((h) => h.name))).toEqual(ten.map((h) => h.name));
  });
  it("without flags: one wave of every host that tolerates every failure (the rollout as before)", () => {
    const waves = planWaves(ten, { canary: 0, waveSize: { percent: 100 }, maxFailures: { percent: 100 } });
    expect(waves.map((w) => [w.name, w.hosts.length, w.maxFailures])).toEqual([["wave 1", 10, 10]]);
  });
});
