// The fleet simulator through its HTTP interface: labelled as simulated, deterministic, realistic, and
// indistinguishable from a real agent to metering (the same metric families, the same used bytes).
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startAgent, type RunningAgent } from "../../agents/agent.js";
import { registeredCollectors } from "../../agents/collector.js";
import { FleetModel } from "../../agents/simulator/fleetModel.js";
import { startSimulator, type RunningSimulator } from "../../agents/simulator/simulatorServer.js";
import { parseExposition, usedFilesystemBytes } from "../../dashboard/metering/exposition.js";
import type { InventoryHost } from "../../contracts/inventory.js";
import { agentMetrics } from "../../contracts/metrics.js";
import { started } from "../helpers/started.js";

const run = promisify(execFile);

function host(name: string, overrides: Partial<InventoryHost> = {}): InventoryHost {
  return {
    name,
    address: "10.20.1.4",
    agentPort: 9110,
    department: "burgerzaken",
    service: "basisregistratie-personen",
    role: "app",
    environment: "prod",
    os: "linux",
    vmSize: "Standard_D4s_v5",
    vcpus: 4,
    memoryGiB: 16,
    disks: [
      { name: `${name}-os`, sizeGiB: 128, sku: "Premium_LRS" },
      { name: `${name}-data-0`, sizeGiB: 256, sku: "Premium_LRS" },
    ],
    ...overrides,
  };
}

const hosts = [
  ...Array.from({ length: 20 }, (_, i) => host(`bz-app-${String(i + 1).padStart(2, "0")}`)),
  host("ict-dc-01", { os: "windows", department: "ict", vcpus: 2, memoryGiB: 8 }),
];
const now = Date.parse("2026-11-18T14:20:00Z");
const historyStartMs = Date.parse("2025-10-01T00:00:00Z");
const model = (seed: number) => new FleetModel({ seed, hosts, historyStartMs, nowMs: now, downNow: 3, fillingUp: 4 });

let simulator: RunningSimulator;
let agent: RunningAgent;
const fleet = model(7);

beforeAll(async () => {
  simulator = await startSimulator({ model: fleet, now: () => now });
  agent = await startAgent({
    listenAddress: "127.0.0.1:0",
    collectors: registeredCollectors()
      .filter((c) => c.defaultEnabled)
      .map((c) => c.id),
    timeoutSeconds: 5,
  });
});

afterAll(async () => {
  await started(simulator)?.close();
  await started(agent)?.close();
});

const scrape = async (url: string): Promise<{ status: number; text: string }> => {
  const response = await fetch(url);
  return { status: response.status, text: await response.text() };
};
const familyNames = (text: string): Set<string> =>
  new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1] ?? ""));
/** Each family's `# HELP` and `# TYPE` lines, by name. */
const familyHeaders = (text: string): Map<string, string> => {
  const headers = new Map<string, string>();
  for (const m of text.matchAll(/^# (HELP|TYPE) (\S+) (.*)$/gm))
    headers.set(m[2] ?? "", `${headers.get(m[2] ?? "") ?? ""}${m[1]}:${m[3]}\n`);
  return headers;
};
const upHost = (m: FleetModel): string =>
  m.hostNames().find((n) => {
    const p = m.profile(n);
    return p !== undefined && m.isUp(p, now) && p.host.os === "linux";
  }) ?? "";

describe("fleet simulator", () => {
  test("says it is simulated: a muniops_simulated gauge with its HELP, and the landing page", async () => {
    const { status, text } = await scrape(simulator.metricsUrl(upHost(fleet)));
    expect(status).toBe(200);
    expect(text).toMatch(/^# HELP muniops_simulated .*fleet simulator.*not a real agent\.$/m);
    expect(text).toMatch(/^muniops_simulated 1$/m);
    const landing = await scrape(`${simulator.url}/`);
    expect(landing.text).toContain("SIMULATED");
    expect(landing.text).toContain(`seed ${fleet.seed}`);
  });

  test(
    "serves the metrics contract as the real agent does: the " + "floor metering relies on, the same help and types",
    async () => {
      // The simulator stands in for what metering, the dashboard and the alert rules read: the families of
      // contracts/metrics.ts. The agent serves more (every meminfo field, vmstat, PSI …), which nothing
      // downstream reads and which depend on the kernel of the machine it runs on.
      const simulatedText = (await scrape(simulator.metricsUrl(upHost(fleet)))).text;
      const realText = (await scrape(`${agent.url}/metrics`)).text;
      const simulated = familyNames(simulatedText);
      const real = familyNames(realText);
      const contract = new Set<string>(Object.values(agentMetrics).map((m) => m.name));
      expect([...simulated].filter((n) => !contract.has(n))).toEqual([]);
      expect(simulated.has("muniops_simulated")).toBe(true);
      // Every contract family the real agent serves here is simulated (textfile families depend on the
      // machine's textfile directory; patch state appears once the agent's first check is done).
      const floor = [...real].filter((n) => contract.has(n) && !n.startsWith("muniops_textfile"));
      expect(floor.length).toBeGreaterThan(15);
      expect(floor.filter((n) => !simulated.has(n))).toEqual([]);
      // Families both serve have the same type and help text.
      const headers = familyHeaders(realText);
      for (const [name, header] of familyHeaders(simulatedText)) {
        if (headers.has(name)) expect(header, name).toEqual(headers.get(name));
      }
    },
  );

  test("simulates patch state per host: some hosts past the one-week rule for security updates", async () => {
    const up = fleet.hostNames().filter((n) => {
      const p = fleet.profile(n);
      return p !== undefined && fleet.isUp(p, now);
    });
    const ages = await Promise.all(
      up.slice(0, 40).map(async (name) => {
        const text = (await scrape(simulator.metricsUrl(name))).text;
        return Number(/^muniops_updates_security_oldest_age_seconds\{[^}]*\} (\S+)$/m.exec(text)?.[1] ?? "NaN");
      }),
    );
    expect(ages.every((a) => Number.isFinite(a) && a >= 0)).toBe(true);
    expect(ages.some((a) => a > 7 * 86_400)).toBe(true);
    expect(ages.some((a) => a === 0)).toBe(true);
  });

  test(
    "answers by path and by the host query parameter alike " + "(Prometheus relabels host into __param_host)",
    async () => {
      const name = upHost(fleet);
      const byPath = await scrape(simulator.metricsUrl(name));
      const byQuery = await scrape(`${simulator.url}/metrics?host=${name}`);
      expect(byQuery.text).toBe(byPath.text);
      expect((await scrape(`${simulator.url}/metrics?host=no-such-host`)).status).toBe(404);
      expect((await scrape(`${simulator.url}/metrics`)).status).toBe(400);
    },
  );

  test("is deterministic: the same seed gives the same fleet, another seed another", async () => {
    const again = await startSimulator({ model: model(7), now: () => now });
    const other = await startSimulator({ model: model(8), now: () => now });
    try {
      for (const name of ["bz-app-01", "bz-app-07", "ict-dc-01"]) {
        const a = await scrape(simulator.metricsUrl(name));
        expect((await scrape(again.metricsUrl(name))).text).toBe(a.text);
      }
      const differs = await Promise.all(
        ["bz-app-01", "bz-app-02", "bz-app-03"].map(
          async (n) => (await scrape(simulator.metricsUrl(n))).text !== (await scrape(other.metricsUrl(n))).text,
        ),
      );
      expect(differs).toContain(true);
    } finally {
      await again.close();
      await other.close();
    }
  });

  test("metering reads the used bytes the model bills, counting real filesystems only (not tmpfs)", async () => {
    for (const name of fleet.hostNames()) {
      const p = fleet.profile(name);
      if (!p || !fleet.isUp(p, now)) continue;
      const used = usedFilesystemBytes(parseExposition((await scrape(simulator.metricsUrl(name))).text));
      expect(used).toBe(fleet.billableUsedBytes(p, now));
    }
  });

  test(
    "is realistic: a working-day CPU pattern, growing " + "disks, a few hosts down (503) and a few filling up",
    async () => {
      const p = fleet.profile("bz-app-01");
      if (!p) throw new Error("no profile");
      expect(fleet.cpuBusy(p, Date.parse("2026-11-18T14:00:00Z"))).toBeGreaterThan(
        fleet.cpuBusy(p, Date.parse("2026-11-18T02:00:00Z")),
      );
      expect(fleet.billableUsedBytes(p, now)).toBeGreaterThan(fleet.billableUsedBytes(p, historyStartMs));
      const down = fleet.hostNames().filter((n) => {
        const q = fleet.profile(n);
        return q !== undefined && !fleet.isUp(q, now);
      });
      expect(down).toHaveLength(3);
      for (const name of down) expect((await scrape(simulator.metricsUrl(name))).status).toBe(503);
      const filling = fleet.hostNames().filter((n) => fleet.profile(n)?.filling);
      expect(filling).toHaveLength(4);
      for (const name of filling) {
        const q = fleet.profile(name);
        const fullest = Math.max(...(q?.filesystems ?? []).map((f) => fleet.usedBytes(f, now) / f.sizeBytes));
        expect(fullest).toBeGreaterThan(0.9);
      }
      // the CPU counters grow at the busy rate the gauges show: the integral is right
      const cpu = (t: number) => fleet.cpuBusySeconds(p, t);
      expect((cpu(now + 60_000) - cpu(now)) / 60).toBeCloseTo(fleet.cpuBusy(p, now + 30_000), 3);
    },
  );

  test.skipIf(!existsSync("/usr/bin/promtool"))("is lint-clean under promtool check metrics", async () => {
    const text = (await scrape(simulator.metricsUrl(upHost(fleet)))).text;
    const child = run("/usr/bin/promtool", ["check", "metrics"]);
    child.child.stdin?.end(text);
    const { stdout, stderr } = await child;
    expect(stdout + stderr).toBe("");
  });
});
