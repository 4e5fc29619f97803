// The demo's generated FOCUS bill: thirteen months imported through `costs import`'s code, the hub's
// untagged shared resources unallocated, untagged servers found by resource id, and a second start
// importing nothing (the same files, the same hashes).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readInventory } from "../../contracts/inventory.js";
import { reconcileMonth } from "../../dashboard/app/billReconcile.js";
import { openLedger } from "../../dashboard/data-access/database.js";
import { applyMasterDataChanges } from "../../dashboard/data-access/masterData.js";
import { importDemoBill } from "../../dashboard/demo/demoBill.js";
import { repoRoot } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "muniops-demo-bill-"));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const periods = Array.from({ length: 13 }, (_v, i) => {
  const d = new Date(Date.UTC(2025, 9 + i, 1));
  return d.toISOString().slice(0, 7);
});

describe("the demo's FOCUS bill", () => {
  it("imports thirteen months once, with unallocated shared resources", async () => {
    const inventory = readInventory(join(repoRoot, "test/fixtures/inventory.json"));
    const ledger = await openLedger(join(dir, "ledger.db"), { create: true });
    try {
      const departments = inventory.departments.map((d) => ({ ...d, annualBudgetCents: null }));
      await ledger.db.transaction().execute((trx) => applyMasterDataChanges(trx, { departments }, {}, "test"));
      const first = await importDemoBill(ledger, inventory, periods, join(dir, "focus"));
      expect(first.months).toBe(13);
      expect(first.rows).toBeGreaterThan(13 * inventory.hosts.length);
      const doc = await reconcileMonth(ledger, "2026-10");
      expect(Number(doc.unallocated)).toBeGreaterThan(0);
      expect(doc.departments.filter((d) => d.effectiveCost !== "0.00").map((d) => d.id)).toEqual(
        [...new Set(inventory.hosts.map((h) => h.department))].sort(),
      );
      expect(doc.invoices.map((i) => i.id)).toEqual(["G02026107351"]);
      expect(doc.invoices[0]?.billedCost).toMatch(/^\d+\.\d{2}$/);
      const again = await importDemoBill(ledger, inventory, periods, join(dir, "focus"));
      expect(again.rows).toBe(0);
    } finally {
      await ledger.close();
    }
  }, 120_000);
});
