// The reconciliation's rules on their own: allocation conserves the bill to the cent (property test),
// the parser's amounts and columns, and the cost-plus rate proposal.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BillGroups } from "../../../dashboard/domain/billGroups.js";
import { reconcileBill } from "../../../dashboard/domain/billReconciliation.js";
import { allocateRow, departmentTag, focusColumnIndex, resourceOwners } from "../../../dashboard/domain/focus.js";
import { billToCents, formatBillAmount, parseBillAmount } from "../../../dashboard/domain/money.js";
import { proposeRates } from "../../../dashboard/domain/rateProposal.js";

const known = new Set(["burgerzaken", "belastingen", "ict"]);
const owners = resourceOwners({ hosts: [{ name: "bz-app-01", department: "burgerzaken" }], shares: [] });
const cents = (s: string): bigint => BigInt(s.replace(".", ""));

describe("bill amounts", () => {
  it("parses ten decimals exactly, rounds beyond, reads exponents and Parquet numbers", () => {
    expect(formatBillAmount(parseBillAmount("12.3456789012", "x"))).toBe("12.3456789012");
    expect(formatBillAmount(parseBillAmount("0.00000000005", "x"))).toBe("0.0000000001");
    expect(formatBillAmount(parseBillAmount("-1.2E-05", "x"))).toBe("-0.0000120000");
    expect(formatBillAmount(parseBillAmount(0.1 + 0.2, "x"))).toBe("0.3000000000");
    expect(formatBillAmount(parseBillAmount("", "x"))).toBe("0.0000000000");
    expect(() => parseBillAmount("12,50", "BilledCost")).toThrow('BilledCost is not a number: "12,50"');
  });
});

describe("FOCUS columns and allocation", () => {
  it("names every missing mandatory column and the file", () => {
    expect(() => focusColumnIndex(["BilledCost", "Tags"], "bill.csv")).toThrow(
      "bill.csv: not a FOCUS cost and usage export: missing mandatory columns EffectiveCost, BillingCurrency, " +
        "BillingPeriodStart, ChargeCategory, ChargePeriodStart, ResourceId, ServiceCategory, ServiceName, " +
        "InvoiceId (x_InvoiceId in FOCUS 1.0)",
    );
  });

  it("reads the department tag whatever the key's case, and only from a JSON object", () => {
    expect(departmentTag('{"Department":"burgerzaken","costCenter":"KP-4100"}')).toBe("burgerzaken");
    expect(departmentTag('{"DEPARTMENT":" ict "}')).toBe("ict");
    expect(departmentTag('"department": "ict"')).toBe("ict");
    expect(departmentTag('["department"]')).toBeUndefined();
    expect(departmentTag("not json department")).toBeUndefined();
  });

  it("allocates by tag, else resource id (any case), else unallocated; unknown tags keep their id", () => {
    const vm = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/BZ-APP-01";
    expect(allocateRow({ tags: '{"department":"ict"}', resourceId: vm }, owners, known)).toEqual({
      department: "ict",
      method: "tag",
    });
    expect(allocateRow({ tags: "{}", resourceId: vm }, owners, known)).toEqual({
      department: "burgerzaken",
      method: "resource",
    });
    expect(
      allocateRow({ tags: "{}", resourceId: `${vm}/extensions/AzureMonitorLinuxAgent` }, owners, known).department,
    ).toBe("burgerzaken");
    expect(allocateRow({ tags: '{"department":"Sport-Cultuur"}', resourceId: "" }, owners, known)).toEqual({
      department: "Sport-Cultuur",
      method: "tag",
    });
    expect(allocateRow({ tags: "", resourceId: "/subscriptions/s/resourceGroups/bz-app-01" }, owners, known)).toEqual({
      department: "",
      method: "none",
    });
  });
});

const amount = fc.bigInt({ min: -10_000_000_000_000n, max: 100_000_000_000_000n }).map((n) => formatBillAmount(n));
const charge = fc.record({
  amount,
  tag: fc.constantFrom<string | null>(null, "burgerzaken", "Belastingen", "ict", "onbekend"),
  key: fc.constantFrom("department", "Department", "DEPARTMENT"),
  host: fc.boolean(),
  category: fc.constantFrom("Compute", "Storage", "Networking"),
});

describe("allocation conserves the bill", () => {
  it("departments + unallocated = total = the exact bill rounded once, to the cent", () => {
    fc.assert(
      fc.property(fc.array(charge, { maxLength: 60 }), (charges) => {
        const groups = new BillGroups();
        let exact = 0n;
        for (const c of charges) {
          const value = parseBillAmount(c.amount, "amount");
          exact += value;
          const row = {
            billingPeriod: "2026-10",
            chargePeriod: "2026-10",
            invoiceId: "G1",
            currency: "EUR",
            chargeCategory: "Usage",
            serviceCategory: c.category,
            serviceName: c.category,
            resourceId: c.host ? "/subscriptions/s/providers/Microsoft.Compute/virtualMachines/bz-app-01" : "",
            tags: c.tag === null ? "{}" : JSON.stringify({ [c.key]: c.tag }),
            billedCost: value,
            effectiveCost: value,
          };
          const { department, method } = allocateRow(row, owners, known);
          groups.add(row, department, method);
        }
        const all = groups.all();
        const charged = { departments: [], pools: { compute: "0.00", storage: "0.00", shared: "0.00" } };
        const doc = reconcileBill("2026-10", all, all, charged, known);
        const parts = [...doc.departments.map((d) => cents(d.effectiveCost)), cents(doc.unallocated)];
        const sum = parts.reduce((a, b) => a + b, 0n);
        expect(sum).toBe(cents(doc.total));
        expect(cents(doc.total)).toBe(billToCents(exact));
        expect(doc.costTypes.map((t) => cents(t.effectiveCost)).reduce((a, b) => a + b, 0n)).toBe(billToCents(exact));
        expect(doc.invoices.map((i) => cents(i.billedCost)).reduce((a, b) => a + b, 0n)).toBe(billToCents(exact));
      }),
      { numRuns: 300 },
    );
  });
});

describe("rate proposal", () => {
  it("prices each meter at its share of the actual cost plus the margin, per unit charged", () => {
    const proposal = proposeRates(
      [
        {
          period: "2026-10",
          actual: { compute: parseBillAmount("300", "c"), storage: parseBillAmount("50", "s") },
          lines: [
            { costType: "compute", item: "vcpus", quantity: "1000", amount: "200.00" },
            { costType: "compute", item: "memory_bytes", quantity: "4000", amount: "50.00" },
            { costType: "storage", item: "fs_used_bytes", quantity: "100", amount: "40.00" },
            { costType: "licences", item: "m365", quantity: "10", amount: "200.00" },
          ],
        },
      ],
      { "compute.vcpuHour": 200_000n, "compute.memoryGibHour": 12_500n, "storage.serverGbMonth": 400_000n },
      1000n,
    );
    const byRate = Object.fromEntries(proposal.meters.map((m) => [m.rate, m]));
    // vCPU: 300 × 200/250 = 240 actual, × 1.10 / 1000 vCPU-hours = 0.264
    expect(byRate["compute.vcpuHour"]).toMatchObject({ current: "0.20", proposed: "0.264", recovery: "0.8333" });
    // memory: 60 × 1.10 / 4000 = 0.0165
    expect(byRate["compute.memoryGibHour"]?.proposed).toBe("0.0165");
    // server disk: all 50 of storage × 1.10 / 100 = 0.55
    expect(byRate["storage.serverGbMonth"]?.proposed).toBe("0.55");
    // no share usage charged: the current price (none here) stays, and the draft lacks it
    expect(byRate["storage.shareGbMonth"]?.proposed).toBeNull();
    expect(proposal.marginPercent).toBe("10.00");
    expect(proposal.prices).toEqual({
      "compute.vcpuHour": "0.264",
      "compute.memoryGibHour": "0.0165",
      "storage.serverGbMonth": "0.55",
    });
  });
});
