// Metering reads the agents' patch series in both modes: embedded scrapes of the fleet simulator (which serves
// the updates collector's series under the contract's names) keep one patch snapshot per server and day on
// SQLite and PostgreSQL, and the PromQL reader asks Prometheus for the same fields by host and department.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FleetModel } from "../../../agents/simulator/fleetModel.js";
import { startSimulator, type RunningSimulator } from "../../../agents/simulator/simulatorServer.js";
import { agentMetrics } from "../../../contracts/metrics.js";
import { latestPatchStates, patchSnapshotsBetween } from "../../../dashboard/data-access/patchSnapshots.js";
import { scrapeInventory, type MetricsFetcher } from "../../../dashboard/metering/embeddedSource.js";
import { parseExposition } from "../../../dashboard/metering/exposition.js";
import { patchQueries, patchStateFromExposition, promqlPatchStates } from "../../../dashboard/metering/patchSeries.js";
import { backends, freshLedger } from "../helpers/backends.js";
import { testHost } from "../helpers/inventory.js";

const now = Date.parse("2026-11-18T14:20:00Z");
const hosts = [
  ...Array.from({ length: 12 }, (_, i) => testHost(`bz-app-${String(i + 1).padStart(2, "0")}`, "burgerzaken")),
  testHost("ict-dc-01", "ict", { os: "windows" }),
];
const model = new FleetModel({ seed: 7, hosts, historyStartMs: Date.parse("2026-10-01T00:00:00Z"), nowMs: now });
let simulator: RunningSimulator | undefined;

beforeAll(async () => {
  simulator = await startSimulator({ model, now: () => now });
});
afterAll(async () => {
  await simulator?.close();
});

const fetcher: MetricsFetcher = async (host) => {
  const response = await fetch(simulator?.metricsUrl(host.name) ?? "");
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.text();
};

describe("patch state from one scrape", () => {
  it("reads the simulator's updates series by the contract's names", async () => {
    const text = await fetcher(hosts[0]!, 1000);
    const state = patchStateFromExposition(
      "bz-app-01",
      "burgerzaken",
      "2026-11-18T14:20:00.000Z",
      parseExposition(text),
    );
    const value = (name: string, kind?: string): number =>
      parseExposition(text).find((s) => s.name === name && (kind === undefined || s.labels.kind === kind))!.value;
    expect(state).toEqual({
      host: "bz-app-01",
      department: "burgerzaken",
      at: "2026-11-18T14:20:00.000Z",
      securityPending: value(agentMetrics.updatesPending.name, "security"),
      otherPending: value(agentMetrics.updatesPending.name, "other"),
      securityOldestAgeSeconds: value(agentMetrics.updatesSecurityOldestAgeSeconds.name),
      rebootRequired: value(agentMetrics.rebootRequired.name) === 1,
      rebootRequiredAgeSeconds: value(agentMetrics.rebootRequiredAgeSeconds.name),
    });
  });

  it("says unknown (nulls) for an agent without the updates collector", () => {
    const state = patchStateFromExposition("h", null, "2026-11-18T14:20:00.000Z", parseExposition("muniops_load1 1\n"));
    expect(state).toMatchObject({ securityPending: null, securityOldestAgeSeconds: null, rebootRequired: null });
  });
});

describe.each(backends)("the daily patch snapshot on $name", (backend) => {
  afterAll(() => backend.cleanup());

  it("keeps each server's latest reading of the day, one row per server and day", async () => {
    const ledger = await freshLedger(backend);
    try {
      const options = { timeoutMs: 2000, fetchers: { agent: fetcher } };
      const dayBefore = now - 86_400_000;
      await scrapeInventory(ledger, hosts, { ...options, now: dayBefore });
      await scrapeInventory(ledger, hosts, { ...options, now: now - 3_600_000 });
      await scrapeInventory(ledger, hosts, { ...options, now });
      const up = hosts.filter((h) => model.isUp(model.profile(h.name)!, now));
      const latest = await latestPatchStates(ledger.db);
      expect(latest.map((s) => s.host).sort()).toEqual(hosts.map((h) => h.name).sort());
      for (const h of up) {
        const expected = patchStateFromExposition(
          h.name,
          h.department,
          new Date(now).toISOString(),
          parseExposition(await fetcher(h, 1000)),
        );
        expect(latest.find((s) => s.host === h.name)).toEqual(expected);
      }
      const today = await patchSnapshotsBetween(ledger.db, "2026-11-18", "2026-11-18");
      expect(today.length).toBe(up.length);
      expect((await patchSnapshotsBetween(ledger.db, "2026-11-17", "2026-11-18")).length).toBeGreaterThan(up.length);
    } finally {
      await ledger.close();
    }
  });
});

describe("patch state from PromQL", () => {
  it("asks one instant query per field and joins them by host, with file_sd's department", async () => {
    const asked: string[] = [];
    const vectors: Record<string, [string, string, number][]> = {
      [patchQueries.security]: [
        ["bz-app-01", "burgerzaken", 2],
        ["ict-dc-01", "ict", 0],
      ],
      [patchQueries.other]: [["bz-app-01", "burgerzaken", 7]],
      [patchQueries.oldest]: [["bz-app-01", "burgerzaken", 8 * 86_400]],
      [patchQueries.reboot]: [
        ["bz-app-01", "burgerzaken", 1],
        ["ict-dc-01", "ict", 0],
      ],
      [patchQueries.rebootAge]: [["bz-app-01", "burgerzaken", 3600]],
    };
    const fakeFetch = ((url: URL) => {
      const query = url.searchParams.get("query") ?? "";
      asked.push(query);
      const result = (vectors[query] ?? []).map(([host, department, v]) => ({
        metric: { host, department },
        value: [now / 1000, String(v)],
      }));
      return Promise.resolve(Response.json({ status: "success", data: { resultType: "vector", result } }));
    }) as unknown as typeof fetch;
    const states = await promqlPatchStates("http://prometheus:9090", { timeoutMs: 1000, fetch: fakeFetch, now });
    expect(asked.sort()).toEqual(Object.values(patchQueries).sort());
    expect(states).toEqual([
      {
        host: "bz-app-01",
        department: "burgerzaken",
        at: "2026-11-18T14:20:00.000Z",
        securityPending: 2,
        otherPending: 7,
        securityOldestAgeSeconds: 8 * 86_400,
        rebootRequired: true,
        rebootRequiredAgeSeconds: 3600,
      },
      {
        host: "ict-dc-01",
        department: "ict",
        at: "2026-11-18T14:20:00.000Z",
        securityPending: 0,
        otherPending: null,
        securityOldestAgeSeconds: 0,
        rebootRequired: false,
        rebootRequiredAgeSeconds: null,
      },
    ]);
  });
});
