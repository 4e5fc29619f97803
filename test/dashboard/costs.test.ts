// The cloud bill's import and reconciliation on both ledger backends, from files shaped like Azure's
// FOCUS exports (helpers/focusFixtures.ts): CSV, CSV.gz and Parquet, FOCUS 1.0 and 1.2-preview.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importBill } from "../../dashboard/app/billImport.js";
import { reconcileMonth } from "../../dashboard/app/billReconcile.js";
import { chargeback } from "../../dashboard/app/chargeback.js";
import { readAuditLog } from "../../dashboard/data-access/auditLog.js";
import type { Ledger } from "../../dashboard/data-access/database.js";
import { resourceOwners } from "../../dashboard/domain/focus.js";
import { started } from "../helpers/started.js";
import { backends, freshLedger } from "./helpers/backends.js";
import {
  vmId,
  writeFocusCsv,
  writeFocusCsvGz,
  writeFocusParquet,
  type FocusVersion,
  type TestCharge,
} from "./helpers/focusFixtures.js";
import { seedHandMonth } from "./helpers/handMonth.js";

const hub = "/subscriptions/00000000-0000-0000-0000-00000000aaaa/resourceGroups/rg-hub/providers/Microsoft.Network";

/** October 2026's bill: every case the reconciliation must get right. */
const october: TestCharge[] = [
  // three charges of 0.0050000001: rounded per row they would be 0.03, exactly they are 0.0150000003 → 0.02
  ...[1, 2, 3].map(() => ({ billed: "0.0050000001", tags: { department: "burgerzaken" } })),
  // untagged, its resource id in another case than the inventory's host name: burgerzaken by resource
  { billed: "10.00", resourceId: vmId("BZ-APP-01").toUpperCase() },
  // the tag key in another case, the value too
  { billed: "7.1234567890", tags: { DEPARTMENT: "Belastingen" }, serviceCategory: "Storage", serviceName: "Storage" },
  // a department the ledger does not know: kept, flagged
  { billed: "5.00", tags: { department: "onbekend-dept" } },
  // a credit
  { billed: "-2.50", category: "Credit", tags: { Department: "ict" }, serviceName: "Azure Monitor" },
  // a correction of September billed in October: not October's cost, but on October's invoice
  { billed: "7.00", chargeMonth: "2026-09", tags: { department: "ict" } },
  // shared hub resources nobody tagged: unallocated
  {
    billed: "20.00",
    resourceId: `${hub}/azureFirewalls/fw-hub`,
    serviceCategory: "Networking",
    serviceName: "Azure Firewall",
  },
  {
    billed: "3.3333333333",
    resourceId: `${hub}/bastionHosts/bas-hub`,
    serviceCategory: "Networking",
    serviceName: "Azure Bastion",
    invoice: "G0202610XX",
  },
];

describe.each(backends)("costs import and reconcile on $name", (backend) => {
  let ledger: Ledger;
  let dir: string;
  beforeAll(async () => {
    ledger = await freshLedger(backend);
    await seedHandMonth(ledger);
    dir = mkdtempSync(join(tmpdir(), "muniops-focus-"));
  }, 120_000);
  afterAll(async () => {
    await started(ledger)?.close();
    await backend.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const forms: [string, FocusVersion, (p: string, v: FocusVersion, m: string, c: TestCharge[]) => void][] = [
    ["csv", "1.2-preview", writeFocusCsv],
    ["csv.gz", "1.0", writeFocusCsvGz],
    [
      "parquet",
      "1.2-preview",
      (p, v, m, c) => {
        writeFocusParquet(p, v, m, c);
      },
    ],
    [
      "parquet",
      "1.0r2",
      (p, v, m, c) => {
        writeFocusParquet(p, v, m, c);
      },
    ],
  ];

  it.each(forms)("reconciles October from a %s export of FOCUS %s to the cent", async (ext, version, write) => {
    const file = join(dir, `october-${version}.${ext}`);
    write(file, version, "2026-10", october);
    const result = await importBill(ledger, [file], { actor: "test" });
    expect(result.files[0]).toMatchObject({ rows: october.length, skipped: false, format: ext });
    expect(result.billingPeriods).toEqual([
      expect.objectContaining({ period: "2026-10", rows: 10, billedCost: "49.9717901226" }),
    ]);
    const doc = await reconcileMonth(ledger, "2026-10");
    const charged = await chargeback(ledger, "2026-10");
    const chargedOf = (id: string) => charged.departments.find((d) => d.id === id)?.total;
    expect(doc.departments.map((d) => [d.id, d.known, d.effectiveCost])).toEqual([
      ["belastingen", true, "7.12"],
      ["burgerzaken", true, "10.02"],
      ["ict", true, "-2.50"],
      ["onbekend-dept", false, "5.00"],
    ]);
    expect(doc.departments.find((d) => d.id === "onbekend-dept")?.flag).toBe("unknown department");
    expect(doc.departments.find((d) => d.id === "burgerzaken")?.charged).toBe(chargedOf("burgerzaken"));
    expect(doc.unallocated).toBe("23.33");
    // 7.1234567890 + 10.0150000003 − 2.5 + 5 + 23.3333333333 = 42.9717901226
    expect(doc.total).toBe("42.97");
    const sum = [...doc.departments.map((d) => d.effectiveCost), doc.unallocated]
      .map((a) => BigInt(a.replace(".", "")))
      .reduce((a, b) => a + b, 0n);
    expect(sum).toBe(4297n);
    expect(doc.invoices).toEqual([
      { id: "G020261001", billedCost: "46.64" },
      { id: "G0202610XX", billedCost: "3.33" },
    ]);
    expect(doc.tagCompliance).toBe(((7.123456789 + 0.0150000003 - 2.5) / 42.9717901226).toFixed(4));
    expect(doc.costTypes.map((t) => [t.costType, t.effectiveCost])).toEqual([
      ["compute", "12.52"],
      ["storage", "7.12"],
      ["shared", "23.33"],
    ]);
    const september = await reconcileMonth(ledger, "2026-09");
    expect(september.departments.map((d) => [d.id, d.effectiveCost])).toEqual([
      ["belastingen", "0.00"],
      ["burgerzaken", "0.00"],
      ["ict", "7.00"],
    ]);
    expect(september.invoices).toEqual([]);
  });

  it("changes nothing when the same file is imported again", async () => {
    const file = join(dir, "again.csv");
    writeFocusCsv(file, "1.2-preview", "2026-10", october);
    await importBill(ledger, [file], { actor: "test" });
    const audit = (await readAuditLog(ledger.db, { entity: "bill" })).length;
    const before = await reconcileMonth(ledger, "2026-10");
    const again = await importBill(ledger, [file], { actor: "test" });
    expect(again.files[0]?.skipped).toBe(true);
    expect(again.billingPeriods).toEqual([]);
    expect((await readAuditLog(ledger.db, { entity: "bill" })).length).toBe(audit);
    expect(await reconcileMonth(ledger, "2026-10")).toEqual(before);
  });

  it("replaces a billing period with its re-export, in the audit log with hashes and totals", async () => {
    const file = join(dir, "reexport.csv");
    writeFocusCsv(file, "1.2-preview", "2026-10", [{ billed: "100.00", tags: { department: "ict" } }]);
    const result = await importBill(ledger, [file], { actor: "reviewer" });
    expect(result.billingPeriods[0]).toMatchObject({ period: "2026-10", replaced: true, rows: 1 });
    const doc = await reconcileMonth(ledger, "2026-10");
    expect(doc.total).toBe("100.00");
    expect(doc.departments.filter((d) => d.effectiveCost !== "0.00").map((d) => d.id)).toEqual(["ict"]);
    const [last] = await readAuditLog(ledger.db, { entity: "bill", order: "desc", limit: 1 });
    expect(last).toMatchObject({ action: "replace", actor: "reviewer", entityId: "2026-10" });
    expect(last?.after).toMatchObject({ rows: 1, billedCost: "100.0000000000", files: [{ name: "reexport.csv" }] });
    expect((last?.after as { files: { sha256: string }[] }).files[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(last?.before).toMatchObject({ rows: 10 });
  });

  it("matches resource ids to the inventory's disks and shares given one", async () => {
    const file = join(dir, "disks.csv");
    const disk = vmId("x").replace("virtualMachines/x", "disks/BEL-APP-01-DATA-0");
    writeFocusCsv(file, "1.2-preview", "2026-11", [{ billed: "1.00", resourceId: disk, serviceCategory: "Storage" }]);
    const owners = resourceOwners({
      hosts: [{ name: "bel-app-01", department: "belastingen", disks: [{ name: "bel-app-01-data-0" }] }],
      shares: [],
    });
    await importBill(ledger, [file], { actor: "test", owners });
    const doc = await reconcileMonth(ledger, "2026-11");
    expect(doc.departments.find((d) => d.id === "belastingen")?.effectiveCost).toBe("1.00");
    expect(doc.unallocated).toBe("0.00");
  });
});
