// Statements, journal and budgets from the hand-computed month: every export agrees with the chargeback.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ledger } from "../../dashboard/data-access/database.js";
import { type ChargebackJson } from "../../dashboard/domain/chargeback.js";
import { chargeback } from "../../dashboard/app/chargeback.js";
import { parseCsv } from "../../dashboard/domain/csv.js";
import { departmentStatement, journalCsv, statementCsv, statementPdf } from "../../dashboard/domain/exports.js";
import { budgetReport } from "../../dashboard/app/budgetReport.js";
import type { Inventory } from "../../contracts/inventory.js";
import { sqliteBackend, freshLedger } from "./helpers/backends.js";
import { seedHandMonth } from "./helpers/handMonth.js";
import { started } from "../helpers/started.js";

const backend = sqliteBackend();
let ledger: Ledger;
let doc: ChargebackJson;
beforeAll(async () => {
  ledger = await freshLedger(backend);
  await seedHandMonth(ledger);
  doc = await chargeback(ledger, "2026-10");
}, 120_000);
afterAll(async () => {
  await started(ledger)?.close();
  await backend.cleanup();
});

const cents = (s: string): bigint => BigInt(s.replace(".", ""));

describe("statement", () => {
  it("as CSV: cost centre, every line, subtotals that add up, the total and the rate versions", () => {
    const [header, ...rows] = parseCsv(statementCsv(departmentStatement(doc, "burgerzaken"))).map((r) => r.fields);
    expect(header).toEqual([
      "period",
      "status",
      "department",
      "costCenter",
      "costType",
      "item",
      "description",
      "quantity",
      "unit",
      "rateVersion",
      "amountEur",
    ]);
    expect(rows.every((r) => r[3] === "KP-4100" && r[0] === "2026-10")).toBe(true);
    const lines = rows.filter((r) => !["subtotal", "total"].includes(r[4]!));
    for (const t of ["compute", "storage", "licences", "shared"]) {
      const sum = lines.filter((r) => r[4] === t).reduce((a, r) => a + cents(r[10]!), 0n);
      const expected = doc.departments.find((d) => d.id === "burgerzaken")![t as "compute"];
      expect(rows.find((r) => r[4] === "subtotal" && r[5] === t)?.[10], t).toBe(expected);
      expect(sum, t).toBe(cents(expected));
    }
    const total = rows.find((r) => r[4] === "total");
    expect(total?.[10]).toBe("1640.68");
    expect(total?.[9]).toBe("2026-01-01 2026-10-16");
  });

  it("as PDF", async () => {
    const pdf = await statementPdf(departmentStatement(doc, "burgerzaken"));
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pdf.subarray(-6).toString()).toContain("%%EOF");
    expect(pdf.length).toBeGreaterThan(1500);
  });

  it("refuses an unknown department, naming the known ones", () => {
    expect(() => departmentStatement(doc, "sport")).toThrow(
      /"sport" has no statement in 2026-10; departments: belastingen, burgerzaken, ict/,
    );
  });
});

describe("journal", () => {
  it("debits each department's cost centre and credits ICT's, per cost type, for exactly what they are charged", () => {
    const [header, ...rows] = parseCsv(journalCsv(doc)).map((r) => r.fields);
    expect(header?.slice(0, 8)).toEqual([
      "date",
      "period",
      "reference",
      "debitCostCenter",
      "creditCostCenter",
      "costType",
      "department",
      "amountEur",
    ]);
    expect(new Set(rows.map((r) => r[6]))).toEqual(new Set(["burgerzaken", "belastingen"]));
    expect(rows.every((r) => r[4] === "KP-9000" && r[0] === "2026-10-31")).toBe(true);
    const bz = rows.filter((r) => r[6] === "burgerzaken");
    expect(bz.every((r) => r[3] === "KP-4100")).toBe(true);
    expect(bz.reduce((a, r) => a + cents(r[7]!), 0n)).toBe(cents("1640.68"));
    expect(rows.find((r) => r[6] === "belastingen" && r[5] === "licences")?.[7]).toBe("600.00");
  });
});

describe("forecast and budget", () => {
  it("prices the plan's inventory at the rate card, and raises alerts at 80 % and 100 % of budget", async () => {
    // One host for burgerzaken, as `muniops plan` would list it: 4 vCPU, 16 GiB, all month.
    const inventory: Inventory = {
      schemaVersion: 1,
      organization: "Gemeente Test",
      stack: "plan",
      departments: [],
      hosts: [
        {
          name: "bz-app-01",
          address: "10.0.0.4",
          agentPort: 9110,
          department: "burgerzaken",
          service: "brp",
          role: "app",
          environment: "prod",
          os: "linux",
          vmSize: "Standard_D4s_v5",
          vcpus: 4,
          memoryGiB: 16,
          disks: [],
        },
      ],
      shares: [],
    };
    const report = await budgetReport(ledger, "2026-10", inventory, Date.parse("2026-11-28T00:00:00Z"));
    const bz = report.departments.find((d) => d.department === "burgerzaken");
    // 4×360×0.01 + 4×384×0.02 + 16×744×0.005 = 104.64 compute; + 1000.00 licences + 500.01 shared.
    expect(bz).toMatchObject({
      forecast: "1604.65",
      actual: "1640.68",
      projected: "1640.68",
      budget: "1666.67",
      alert: "warning",
    });
    expect(report.departments.find((d) => d.department === "belastingen")).toMatchObject({
      actual: "972.84",
      budget: "1000.00",
      alert: "warning",
    });
    expect(report.departments.find((d) => d.department === "ict")).toMatchObject({
      actual: "356.77",
      budget: "333.33",
      alert: "over",
    });
  });
});
