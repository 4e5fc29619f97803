// Random ledgers for property tests: departments, rate versions, usage, licences, shared costs and
// adjustments of one month, in every combination the engine must conserve money over.
import fc from "fast-check";
import type { ChargebackInput } from "../../../dashboard/domain/chargebackEngine.js";
import { daysOf } from "../../../dashboard/domain/period.js";

export const period = "2026-02";
const days = daysOf(period);
const dayArb = fc.constantFrom(...days);
const departmentIds = ["burgerzaken", "belastingen", "ruimte", "sociaal", "ict"];

export const ledgerArb: fc.Arbitrary<ChargebackInput> = fc
  .record({
    departmentCount: fc.integer({ min: 1, max: 5 }),
    headcounts: fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 5, maxLength: 5 }),
    rateVersions: fc.array(
      fc.record({
        day: dayArb,
        vcpu: fc.bigInt({ min: 0n, max: 99_999n }),
        mem: fc.bigInt({ min: 0n, max: 99_999n }),
        fs: fc.bigInt({ min: 0n, max: 999_999n }),
        share: fc.bigInt({ min: 0n, max: 999_999n }),
      }),
      { maxLength: 3 },
    ),
    usage: fc.array(
      fc.record({
        owner: fc.integer({ min: -1, max: 5 }),
        day: dayArb,
        meter: fc.constantFrom("vcpus", "memory_bytes", "fs_used_bytes", "share_used_bytes", "up_seconds"),
        valueHours: fc.bigInt({ min: 0n, max: 10n ** 15n }),
        gaps: fc.integer({ min: 0, max: 3 }),
      }),
      { maxLength: 40 },
    ),
    products: fc.array(
      fc.constantFrom<"per-user" | "per-device" | "per-core" | "concurrent" | "site">(
        "per-user",
        "per-device",
        "per-core",
        "concurrent",
        "site",
      ),
      { maxLength: 3 },
    ),
    contracts: fc.array(
      fc.record({
        product: fc.nat(2),
        quantity: fc.integer({ min: 0, max: 500 }),
        price: fc.bigInt({ min: 0n, max: 99_999_999n }),
        start: dayArb,
        end: fc.option(dayArb, { nil: null }),
      }),
      { maxLength: 5 },
    ),
    assignments: fc.array(
      fc.record({
        product: fc.nat(2),
        department: fc.nat(4),
        seats: fc.integer({ min: 0, max: 300 }),
        from: dayArb,
        to: fc.option(dayArb, { nil: null }),
      }),
      { maxLength: 8 },
    ),
    items: fc.array(
      fc.record({
        monthly: fc.bigInt({ min: -100_000n, max: 100_000_000n }),
        driver: fc.constantFrom<"even" | "headcount" | "direct-cost" | "fixed" | "none">(
          "even",
          "headcount",
          "direct-cost",
          "fixed",
          "none",
        ),
        split: fc.array(fc.nat(100), { minLength: 5, maxLength: 5 }),
        from: dayArb,
        to: fc.option(dayArb, { nil: null }),
      }),
      { maxLength: 4 },
    ),
    adjustments: fc.array(
      fc.record({ department: fc.nat(4), cents: fc.bigInt({ min: -1_000_000n, max: 1_000_000n }) }),
      { maxLength: 3 },
    ),
  })
  .map((r) => {
    const departments = departmentIds.slice(0, r.departmentCount).map((id, i) => ({
      id,
      name: id,
      costCenter: `KP-${4100 + i * 100}`,
      headcount: r.headcounts[i] ?? 0,
      annualBudgetCents: null,
    }));
    const dep = (i: number): string => departments[i % departments.length]!.id;
    const products = r.products.map((t, i) => ({ id: `p${i}`, name: `Product ${i}`, licenceType: t }));
    return {
      period,
      departments,
      // A version valid from before the month guarantees every day has a rate.
      rateVersions: [
        { day: "2025-12-01", vcpu: 20_000n, mem: 5_000n, fs: 100_000n, share: 50_000n },
        ...r.rateVersions,
      ].map((v) => ({
        validFrom: v.day,
        note: null,
        prices: {
          "compute.vcpuHour": v.vcpu,
          "compute.memoryGibHour": v.mem,
          "storage.serverGbMonth": v.fs,
          "storage.shareGbMonth": v.share,
        },
      })),
      usage: r.usage.map((u) => ({
        department: u.owner < 0 ? null : u.owner >= departments.length ? "gone-department" : dep(u.owner),
        day: u.day,
        meter: u.meter,
        valueHours: u.valueHours,
        hoursGap: u.gaps,
      })),
      licenceProducts: products,
      licenceContracts:
        products.length === 0
          ? []
          : r.contracts.map((c, i) => ({
              id: `c${i}`,
              productId: products[c.product % products.length]!.id,
              quantity: c.quantity,
              unitPriceMicroEur: c.price,
              startDate: c.start,
              endDate: c.end !== null && c.end < c.start ? c.start : c.end,
              supplier: "s",
              purchaseOrder: "po",
            })),
      licenceAssignments:
        products.length === 0
          ? []
          : r.assignments.map((a, i) => ({
              id: `a${i}`,
              productId: products[a.product % products.length]!.id,
              department: dep(a.department),
              seats: a.seats,
              validFrom: a.from,
              validTo: a.to !== null && a.to < a.from ? a.from : a.to,
            })),
      costItems: r.items.map((item, i) => {
        const total = item.split.slice(0, departments.length).reduce((a, b) => a + b, 0);
        const percentages =
          item.driver === "fixed" && total > 0
            ? Object.fromEntries(departments.map((d, j) => [d.id, Math.floor(((item.split[j] ?? 0) * 10000) / total)]))
            : null;
        return {
          id: `i${i}`,
          name: `Item ${i}`,
          monthlyCents: item.monthly,
          driver: item.driver === "fixed" && !percentages ? ("even" as const) : item.driver,
          percentages,
          validFrom: item.from,
          validTo: item.to !== null && item.to < item.from ? item.from : item.to,
        };
      }),
      adjustments: r.adjustments.map((a, i) => ({
        id: i + 1,
        period,
        department: dep(a.department),
        amountCents: a.cents,
        reason: "correction",
        refersToPeriod: null,
        actor: "test",
        at: "2026-03-01T00:00:00Z",
      })),
    } satisfies ChargebackInput;
  });
