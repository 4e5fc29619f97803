// `costs export`: the chargeback as a FOCUS 1.2 dataset, checked against the specification's column
// requirements as transcribed below from FOCUS_Spec v1.2 (tag v1.2, commit 7296e3146fb9,
// specification/columns/*.md "Feature level" / "Allows nulls" / "Data type" and the allowed values of
// chargecategory.md, chargeclass.md, servicecategory.md; specification/attributes/datetime_format.md and
// numeric_format.md) — not from our writer's own column list — read back with an independent CSV parser.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import type { Ledger } from "../../dashboard/data-access/database.js";
import { addAdjustment } from "../../dashboard/app/adjustments.js";
import { chargeback } from "../../dashboard/app/chargeback.js";
import { closePeriod } from "../../dashboard/app/close.js";
import { focusCsv, focusExport } from "../../dashboard/app/focusExport.js";
import { freshLedger, sqliteBackend } from "./helpers/backends.js";
import { seedHandMonth } from "./helpers/handMonth.js";
import { started } from "../helpers/started.js";
import { runCli } from "../helpers/cli.js";

type Spec = { nulls: boolean; type: "String" | "Decimal" | "Date/Time" };
/** FOCUS 1.2: every column whose Feature level is "Mandatory". */
const mandatory: Record<string, Spec> = {
  BilledCost: { nulls: false, type: "Decimal" },
  BillingAccountId: { nulls: false, type: "String" },
  BillingAccountName: { nulls: true, type: "String" },
  BillingCurrency: { nulls: false, type: "String" },
  BillingPeriodEnd: { nulls: false, type: "Date/Time" },
  BillingPeriodStart: { nulls: false, type: "Date/Time" },
  ChargeCategory: { nulls: false, type: "String" },
  ChargeClass: { nulls: true, type: "String" },
  ChargeDescription: { nulls: true, type: "String" },
  ChargePeriodEnd: { nulls: false, type: "Date/Time" },
  ChargePeriodStart: { nulls: false, type: "Date/Time" },
  ContractedCost: { nulls: false, type: "Decimal" },
  EffectiveCost: { nulls: false, type: "Decimal" },
  InvoiceIssuer: { nulls: false, type: "String" },
  ListCost: { nulls: false, type: "Decimal" },
  PricingQuantity: { nulls: true, type: "Decimal" },
  PricingUnit: { nulls: true, type: "String" },
  Provider: { nulls: false, type: "String" },
  Publisher: { nulls: false, type: "String" },
  ServiceCategory: { nulls: false, type: "String" },
  ServiceName: { nulls: false, type: "String" },
};
/** The other FOCUS 1.2 columns (Recommended or Conditional): anything else must be a custom x_ column. */
const optional = (
  "AvailabilityZone BillingAccountType CapacityReservationId CapacityReservationStatus ChargeFrequency " +
  "CommitmentDiscountCategory CommitmentDiscountId CommitmentDiscountName CommitmentDiscountQuantity " +
  "CommitmentDiscountStatus CommitmentDiscountType CommitmentDiscountUnit ConsumedQuantity ConsumedUnit " +
  "ContractedUnitPrice InvoiceId ListUnitPrice PricingCategory PricingCurrency PricingCurrencyContractedUnitPrice " +
  "PricingCurrencyEffectiveCost PricingCurrencyListUnitPrice RegionId RegionName ResourceId ResourceName " +
  "ResourceType ServiceSubcategory SkuId SkuMeter SkuPriceDetails SkuPriceId SubAccountId SubAccountName " +
  "SubAccountType Tags"
).split(" ");
const chargeCategories = ["Usage", "Purchase", "Tax", "Credit", "Adjustment"];
const serviceCategories = [
  "AI and Machine Learning", "Analytics", "Business Applications", "Compute", "Databases", "Developer Tools",
  "Multicloud", "Identity", "Integration", "Internet of Things", "Management and Governance", "Media",
  "Migration", "Mobile", "Networking", "Security", "Storage", "Web", "Other",
]; // prettier-ignore
/** Date/Time Format: extended ISO 8601 in UTC, 'YYYY-MM-DDTHH:mm:ssZ'. */
const dateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
/** Numeric Format: an integer, a decimal or E notation; a sign only when negative; no separators. */
const numeric = /^-?\d+(\.\d+)?(E-?\d+)?$/;

function checkAgainstSpec(csv: string): Record<string, string>[] {
  const rows = parse<Record<string, string>>(csv, { columns: true, skip_empty_lines: true });
  const header = Object.keys(rows[0] ?? {});
  for (const column of Object.keys(mandatory)) expect(header, `mandatory column ${column}`).toContain(column);
  for (const column of header)
    expect(column in mandatory || optional.includes(column) || column.startsWith("x_"), column).toBe(true);
  rows.forEach((row, i) => {
    for (const [column, spec] of Object.entries(mandatory)) {
      const value = row[column] ?? "";
      if (!spec.nulls) expect(value, `row ${i} ${column}`).not.toBe("");
      if (value === "") continue;
      if (spec.type === "Date/Time") expect(value, `row ${i} ${column}`).toMatch(dateTime);
      if (spec.type === "Decimal") expect(value, `row ${i} ${column}`).toMatch(numeric);
    }
    expect(chargeCategories).toContain(row.ChargeCategory);
    expect(serviceCategories).toContain(row.ServiceCategory);
    expect(["", "Correction"]).toContain(row.ChargeClass);
    expect(row.BillingCurrency).toMatch(/^[A-Z]{3}$/);
    expect(row.ChargePeriodStart! < row.ChargePeriodEnd!).toBe(true);
  });
  return rows;
}

/** Σ of decimal texts, exact, in cents. */
const cents = (values: string[]): bigint =>
  values.reduce((sum, v) => {
    const [whole = "0", fraction = ""] = v.replace("-", "").split(".");
    const c = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, "0").slice(0, 2));
    return sum + (v.startsWith("-") ? -c : c);
  }, 0n);

describe("costs export (FOCUS 1.2)", () => {
  const backend = sqliteBackend();
  let ledger: Ledger;
  const afterOctober = Date.parse("2026-11-28T12:00:00Z");
  beforeAll(async () => {
    ledger = await freshLedger(backend);
    await seedHandMonth(ledger);
    await closePeriod(ledger, "2026-10", { actor: "anna", now: afterOctober });
    const adjust = { period: "2026-11", actor: "anna" };
    await addAdjustment(
      ledger,
      {
        ...adjust,
        department: "belastingen",
        amountCents: -2500n,
        reason: "disk counted twice",
        refersToPeriod: "2026-10",
      },
      { maxAmountCents: 100_000_00n, now: afterOctober },
    ); // prettier-ignore
    await addAdjustment(
      ledger,
      { ...adjust, department: "burgerzaken", amountCents: 1234n, reason: "extra restore" },
      { maxAmountCents: 100_000_00n, now: afterOctober },
    );
  }, 120_000);
  afterAll(async () => {
    await started(ledger)?.close();
    await backend.cleanup();
  });

  it("writes a closed month as FOCUS: every invoice sums to its department's statement", async () => {
    const { rows, errors } = await focusExport(ledger, "2026-10", afterOctober);
    expect(errors).toEqual([]);
    const parsed = checkAgainstSpec(focusCsv(rows));
    const statement = await chargeback(ledger, "2026-10");
    expect(statement.status).toBe("closed");
    for (const d of statement.departments) {
      const invoice = parsed.filter((r) => r.InvoiceId === `CB-2026-10-${d.id}`);
      expect(invoice.length, d.id).toBeGreaterThan(0);
      expect(cents(invoice.map((r) => r.BilledCost!)), d.id).toBe(cents([d.total]));
      expect(new Set(invoice.map((r) => `${r.x_Department}/${r.x_CostCenter}/${r.BillingAccountId}`))).toEqual(
        new Set([`${d.id}/${d.costCenter}/${d.costCenter}`]),
      );
    }
    // the whole dataset is the month's cost pools: what nobody is charged carries no invoice
    expect(cents(parsed.map((r) => r.BilledCost!))).toBe(cents([statement.total]));
    const uninvoiced = parsed.filter((r) => r.InvoiceId === "");
    expect(new Set(uninvoiced.map((r) => r.x_Department))).toEqual(new Set(["unallocated", "unrecovered"]));
    expect(parsed[0]).toMatchObject({
      BillingPeriodStart: "2026-10-01T00:00:00Z",
      BillingPeriodEnd: "2026-11-01T00:00:00Z",
      Provider: "Centrale ICT",
      InvoiceIssuer: "Centrale ICT",
      BillingCurrency: "EUR",
    });
    expect(parsed.every((r) => r.ChargeClass === "")).toBe(true);
  });

  it("marks the correction of a closed month as ChargeClass Correction, a plain adjustment not", async () => {
    const { rows } = await focusExport(ledger, "2026-11", afterOctober);
    const parsed = checkAgainstSpec(focusCsv(rows));
    const adjustments = parsed.filter((r) => r.ChargeCategory === "Adjustment" && r.x_CostType === "adjustments");
    expect(adjustments.map((r) => [r.x_Department, r.BilledCost, r.ChargeClass])).toEqual([
      ["belastingen", "-25.00", "Correction"],
      ["burgerzaken", "12.34", ""],
    ]);
    const statement = await chargeback(ledger, "2026-11", undefined, afterOctober);
    for (const d of statement.departments) {
      const invoice = parsed.filter((r) => r.InvoiceId === `CB-2026-11-${d.id}`);
      expect(cents(invoice.map((r) => r.BilledCost!)), d.id).toBe(cents([d.total]));
    }
  });

  it("is the `costs export` command: the CSV in a file, a bad month refused", { timeout: 120_000 }, async () => {
    const env = { MUNIOPS_DATABASE_URL: ledger.location };
    const out = join(ledger.location, "..", "2026-10.focus.csv");
    const run = await runCli(["costs", "export", "--period", "2026-10", "--out", out], { env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/2026-10\.focus\.csv: \d+ FOCUS rows for 2026-10/);
    const { rows } = await focusExport(ledger, "2026-10", afterOctober);
    expect(readFileSync(out, "utf8")).toBe(focusCsv(rows));
    const bad = await runCli(["costs", "export", "--period", "2026-13"], { env });
    expect(bad.code).toBe(2);
  });
});
