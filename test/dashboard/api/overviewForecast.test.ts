// Forecast vs actual vs budget on the overview: the inventory the dashboard meters, priced at the rate
// card (checked by hand for one host), summed per department before pricing without changing a cent,
// scoped to a controller's departments, and absent (with a note) when the dashboard has no inventory.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { computeChargeback } from "../../../dashboard/domain/chargebackEngine.js";
import { plannedUsage } from "../../../dashboard/domain/forecast.js";
import { daysOf } from "../../../dashboard/domain/period.js";
import type { UsageAggregate } from "../../../dashboard/domain/records.js";
import type { Inventory, InventoryHost } from "../../../contracts/inventory.js";
import { testHost, testInventory } from "../helpers/inventory.js";
import { login, startTestDashboard, type Client, type TestDashboard } from "./testServer.js";
import { started } from "../../helpers/started.js";

const host = (name: string, department: string, vcpus: number, memoryGiB: number, diskGiB: number): InventoryHost =>
  testHost(name, department, {
    address: "10.0.0.4",
    vmSize: "Standard_D4s_v5",
    vcpus,
    memoryGiB,
    disks: diskGiB > 0 ? [{ name: `${name}-data`, sizeGiB: diskGiB, sku: "Premium_LRS" }] : [],
  });
const inventory: Inventory = testInventory("plan", [host("bz-app-01", "burgerzaken", 4, 16, 0)]);

let dir: string;
let withInventory: TestDashboard;
let without: TestDashboard;
let manager: Client;
let controller: Client;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "muniops-forecast-"));
  const inventoryFile = join(dir, "inventory.json");
  writeFileSync(inventoryFile, JSON.stringify(inventory));
  [withInventory, without] = await Promise.all([startTestDashboard({ inventoryFile }), startTestDashboard()]);
  [manager, controller] = await Promise.all([login(withInventory.url, "manager"), login(withInventory.url, "ctl-bel")]);
}, 120_000);

afterAll(async () => {
  await Promise.all([started(withInventory)?.close(), started(without)?.close()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Overview {
  currentPeriod: string;
  forecast: Record<string, string> | null;
  budget: { department: string; actual: string; monthlyBudget: string | null }[];
}

describe("forecast vs actual vs budget", () => {
  test("the plan priced at November's rates: compute by hand, licences and shared costs as charged", async () => {
    const overview = (await (await manager.get("/api/v1/overview")).json()) as Overview;
    expect(overview.currentPeriod).toBe("2026-11");
    const actual = (await (await manager.get("/api/v1/chargeback?period=2026-11")).json()) as {
      departments: { id: string; licences: string; shared: string }[];
    };
    const bz = actual.departments.find((d) => d.id === "burgerzaken");
    // 4 vCPU × 720 h × € 0.02 + 16 GiB × 720 h × € 0.005 = 115.20; licences and shared costs don't depend on usage
    const expected = (11520 + Math.round(Number(bz?.licences) * 100) + Math.round(Number(bz?.shared) * 100)) / 100;
    expect(overview.forecast?.burgerzaken).toBe(expected.toFixed(2));
    expect(Object.keys(overview.forecast ?? {}).sort()).toEqual(overview.budget.map((b) => b.department).sort());
  });

  test("hosts are summed per department before pricing: not a cent of difference", async () => {
    const master = await withInventory.service.masterData();
    const many: Inventory = {
      ...inventory,
      hosts: Array.from({ length: 37 }, (_, i) =>
        host(
          `h-${i}`,
          i % 3 === 0 ? "belastingen" : i % 3 === 1 ? "burgerzaken" : "ict",
          1 + (i % 7),
          2 + (i % 5) * 3.5,
          (i % 4) * 33,
        ),
      ),
    };
    const perHost: UsageAggregate[] = daysOf("2026-10").flatMap((day) =>
      many.hosts.flatMap((h) => [
        { department: h.department, day, meter: "vcpus", valueHours: BigInt(h.vcpus) * 24n, hoursGap: 0 },
        {
          department: h.department,
          day,
          meter: "memory_bytes",
          valueHours: BigInt(Math.round(h.memoryGiB * 1024)) * 1024n * 1024n * 24n,
          hoursGap: 0,
        },
        ...(h.disks.length > 0
          ? [
              {
                department: h.department,
                day,
                meter: "fs_used_bytes",
                valueHours: BigInt(h.disks[0]?.sizeGiB ?? 0) * 1024n ** 3n * 24n,
                hoursGap: 0,
              },
            ]
          : []),
      ]),
    );
    const priced = (usage: UsageAggregate[]) =>
      computeChargeback({ period: "2026-10", ...master, usage, adjustments: [] }).departments.map((d) => [
        d.id,
        d.total,
      ]);
    const aggregated = plannedUsage(many, "2026-10");
    expect(aggregated.length).toBeLessThan(perHost.length / 5);
    expect(priced(aggregated)).toEqual(priced(perHost));
  });

  test("a controller's overview forecasts only their own departments", async () => {
    const overview = (await (await controller.get("/api/v1/overview")).json()) as Overview;
    expect(Object.keys(overview.forecast ?? {})).toEqual(["belastingen"]);
    expect(JSON.stringify(overview)).not.toMatch(/burgerzaken|KP-4100/);
  });

  test("the page shows the forecast column and chart; without an inventory it says why there is none", async () => {
    const page = await (await manager.get("/", { headers: { accept: "text/html" } })).text();
    expect(page).toContain("Prognose (plan)");
    expect(page).toContain('id="budget-chart"');
    const other = await login(without.url, "manager");
    const plain = await (await other.get("/", { headers: { accept: "text/html" } })).text();
    expect(plain).not.toContain("Prognose (plan)");
    expect(plain).toMatch(/Geen prognose/);
    expect(((await (await other.get("/api/v1/overview")).json()) as Overview).forecast).toBeNull();
  });
});

describe("the twelve-month trend", () => {
  interface Trend {
    trend: { period: string; total: string; status: string }[];
    changes: { department: string; previous: string; current: string }[];
  }
  test.each([
    ["a service manager", () => manager],
    ["a controller (own department only)", () => controller],
  ] as const)("for %s, each month's total and status as the chargeback API gives them", async (_who, client) => {
    const overview = (await (await client().get("/api/v1/overview")).json()) as Trend;
    expect(overview.trend.map((m) => m.period)).toEqual([
      "2025-12",
      "2026-01",
      "2026-02",
      "2026-03",
      "2026-04",
      "2026-05",
      "2026-06",
      "2026-07",
      "2026-08",
      "2026-09",
      "2026-10",
      "2026-11",
    ]);
    for (const month of overview.trend) {
      const doc = (await (await client().get(`/api/v1/chargeback?period=${month.period}`)).json()) as {
        total: string;
        status: string;
        departments: { id: string; total: string }[];
      };
      expect(month).toEqual({ period: month.period, total: doc.total, status: doc.status });
      // the largest changes compare November with October as the API states October
      if (month.period === "2026-10")
        for (const change of overview.changes)
          expect(change.previous).toBe(doc.departments.find((d) => d.id === change.department)?.total ?? "0.00");
    }
    expect(overview.trend.some((m) => Number(m.total) > 0)).toBe(true);
    expect(overview.changes.length).toBeGreaterThan(0);
  });
});
