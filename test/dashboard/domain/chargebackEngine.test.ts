// Property tests of the chargeback engine: over random ledgers, money is conserved to the cent, and
// every department's total is the sum of its parts.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeChargeback, UNALLOCATED, UNRECOVERED } from "../../../dashboard/domain/chargebackEngine.js";
import { allocate, divRound } from "../../../dashboard/domain/money.js";
import { daysInPeriod, firstDay, lastDay } from "../../../dashboard/domain/period.js";
import { ledgerArb } from "./arbitraries.js";

describe("chargeback engine", () => {
  it("conserves money: departments + unallocated + unrecovered = the cost pools, to the cent", () => {
    fc.assert(
      fc.property(ledgerArb, (input) => {
        const r = computeChargeback(input);
        const departments = r.departments.reduce((a, d) => a + d.total, 0n);
        expect(departments + r.unallocated.total + r.unrecovered.total).toBe(r.pools.total);
        expect(r.total).toBe(r.pools.total);
        for (const d of r.departments)
          expect(d.compute + d.storage + d.licences + d.shared + d.adjustments).toBe(d.total);
        // Every line belongs to a department, unallocated or unrecovered.
        const owners = new Set([...input.departments.map((d) => d.id), UNALLOCATED, UNRECOVERED]);
        for (const l of r.lines) expect(owners.has(l.owner)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("totals the shared-cost pool from the items themselves, prorated by the days they are active", () => {
    fc.assert(
      fc.property(ledgerArb, (input) => {
        const r = computeChargeback(input);
        const days = daysInPeriod(input.period);
        let expected = 0n;
        for (const item of input.costItems) {
          const from = item.validFrom > firstDay(input.period) ? item.validFrom : firstDay(input.period);
          const to =
            item.validTo !== null && item.validTo < lastDay(input.period) ? item.validTo : lastDay(input.period);
          const active = from > to ? 0 : Number(to.slice(8)) - Number(from.slice(8)) + 1;
          if (active > 0) expected += divRound(item.monthlyCents * BigInt(active), BigInt(days));
        }
        expect(r.pools.shared).toBe(expected);
        expect(r.pools.adjustments).toBe(input.adjustments.reduce((a, x) => a + x.amountCents, 0n));
      }),
      { numRuns: 200 },
    );
  });

  it("allocates exactly, deterministically, in proportion", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 6n }), { minLength: 1, maxLength: 30 }),
        (total, weights) => {
          const shares = allocate(total, weights);
          if (weights.every((w) => w === 0n)) {
            expect(shares).toBeUndefined();
            return;
          }
          expect(shares!.reduce((a, b) => a + b, 0n)).toBe(total);
          const sum = weights.reduce((a, b) => a + b, 0n);
          shares!.forEach((s, i) => {
            const exact = (total * weights[i]!) / sum;
            expect(s - exact >= -1n && s - exact <= 1n).toBe(true);
          });
        },
      ),
    );
  });
});
