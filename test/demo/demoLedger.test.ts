// The demo's seeded ledger, through the ledger's own reading functions: a year closed in one valid hash
// chain with sign-offs and one dispute, last month open, every month conserving money to the cent, and
// usage that is the fleet model's — the numbers the simulator serves — hour for hour and day for day.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { FleetModel } from "../../agents/simulator/fleetModel.js";
import { openLedger, type Ledger } from "../../dashboard/data-access/database.js";
import { allClosedPeriods, statementStatuses } from "../../dashboard/data-access/periods.js";
import { hourlyRows } from "../../dashboard/data-access/usage.js";
import { chargeback } from "../../dashboard/app/chargeback.js";
import { verifyChain } from "../../dashboard/app/close.js";
import { parseCents } from "../../dashboard/domain/money.js";
import { addHours, hourKey, hourStart } from "../../dashboard/domain/period.js";
import { modelMeasurements } from "../../dashboard/demo/demoHistory.js";
import { demoTimeline, seedDemoLedger } from "../../dashboard/demo/demoLedger.js";
import type { Inventory, InventoryHost } from "../../contracts/inventory.js";
import { started } from "../helpers/started.js";

const departments = [
  { id: "ict", name: "ICT", costCenter: "KP-1900", headcount: 40, annualBudgetEur: 900000 },
  { id: "burgerzaken", name: "Burgerzaken", costCenter: "KP-4100", headcount: 85, annualBudgetEur: 310000 },
  { id: "belastingen", name: "Belastingen", costCenter: "KP-4300", headcount: 48, annualBudgetEur: 260000 },
];
const host = (name: string, department: string): InventoryHost => ({
  name,
  address: "10.20.1.4",
  agentPort: 9110,
  department,
  service: "svc",
  role: "app",
  environment: "prod",
  os: "linux",
  vmSize: "Standard_D2s_v5",
  vcpus: 2,
  memoryGiB: 8,
  disks: [
    { name: `${name}-os`, sizeGiB: 64, sku: "Premium_LRS" },
    { name: `${name}-data-0`, sizeGiB: 128, sku: "Premium_LRS" },
  ],
});
const inventory: Inventory = {
  schemaVersion: 1,
  organization: "Gemeente Test",
  stack: "test",
  departments,
  hosts: [
    host("ict-app-01", "ict"),
    host("bz-app-01", "burgerzaken"),
    host("bz-app-02", "burgerzaken"),
    host("bel-app-01", "belastingen"),
    host("bel-db-01", "belastingen"),
  ],
  shares: departments.map((d) => ({
    name: d.id,
    department: d.id,
    quotaGiB: 512,
    tier: "TransactionOptimized" as const,
  })),
};

const now = Date.parse("2026-11-18T14:20:00Z");
const timeline = demoTimeline(now);
const model = new FleetModel({
  seed: 3,
  hosts: inventory.hosts,
  historyStartMs: timeline.historyStartMs,
  nowMs: now,
  downNow: 1,
  fillingUp: 1,
});
const meteredFrom = hourKey(now);
let dir: string;
let ledger: Ledger;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "muniops-demo-ledger-"));
  ledger = await openLedger(join(dir, "ledger.db"), { create: true });
  const result = await seedDemoLedger(ledger, model, inventory, timeline, meteredFrom);
  expect(result).toMatchObject({ fresh: true, closed: 12 });
}, 120_000);

afterAll(async () => {
  await started(ledger)?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the demo ledger", () => {
  test("has thirteen months of history: twelve closed in one valid chain, last month open", async () => {
    expect(timeline.closedPeriods).toEqual([
      "2025-10",
      "2025-11",
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
    ]);
    expect(timeline.openPeriod).toBe("2026-10");
    expect((await allClosedPeriods(ledger.db)).map((p) => p.period)).toEqual(timeline.closedPeriods);
    expect(await verifyChain(ledger)).toEqual({ ok: true, periods: 12 });
    expect((await chargeback(ledger, "2026-10")).status).toBe("open");
  });

  test("most statements are signed off and one is disputed, with its correction in the open month", async () => {
    const statuses = (await Promise.all(timeline.closedPeriods.map((p) => statementStatuses(ledger.db, p)))).flat();
    expect(statuses.filter((s) => s.status === "disputed").map((s) => `${s.period}/${s.department}`)).toEqual([
      "2026-08/belastingen",
    ]);
    expect(statuses.filter((s) => s.status === "signed-off").length).toBeGreaterThan(
      timeline.closedPeriods.length * departments.length * 0.6,
    );
    const open = await chargeback(ledger, "2026-10");
    expect(open.departments.find((d) => d.id === "belastingen")?.adjustments).toBe("-412.50");
  });

  test("every month's charges, unallocated and unrecovered add up to its total, with money in every pool", async () => {
    for (const period of [...timeline.closedPeriods, timeline.openPeriod]) {
      const doc = await chargeback(ledger, period);
      const parts = [...doc.departments.map((d) => d.total), doc.unallocated, doc.unrecovered].reduce(
        (sum, v) => sum + parseCents(v, "amount"),
        0n,
      );
      expect(parts, period).toBe(parseCents(doc.total, "total"));
      for (const pool of ["compute", "storage", "licences", "shared"] as const)
        expect(Number(doc.breakdown.pools[pool]), `${period} ${pool}`).toBeGreaterThan(0);
    }
  });

  test("recent hours are the model's measurements: used bytes when up, a gap when down", async () => {
    const to = addHours(meteredFrom, -1);
    const from = addHours(to, -23);
    const rows = await hourlyRows(ledger.db, { from, to, meter: "fs_used_bytes" });
    expect(rows).toHaveLength(24 * inventory.hosts.length);
    for (const row of rows) {
      const expected = modelMeasurements(model, row.hour).get(row.subject);
      expect(row.value, `${row.subject} ${row.hour}`).toBe(expected?.fsUsedBytes ?? null);
      expect(row.status).toBe(expected?.fsUsedBytes === null ? "gap" : "ok");
    }
    // the host the model has down now shows it in the ledger's last hours
    const down = inventory.hosts.find((h) => {
      const p = model.profile(h.name);
      return p !== undefined && !model.isUp(p, hourStart(to) + 1_800_000);
    });
    expect(rows.some((r) => r.subject === down?.name && r.status === "gap")).toBe(true);
  });
}, 120_000);
