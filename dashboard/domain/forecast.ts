// Forecast and budgets. A department's forecast is the plan's inventory priced at the rate card: the
// same chargeback engine, fed with the usage the inventory provisions (every host all month, disks and
// shares full), so forecast and actual are priced by one set of rules. The month's budget report, which
// loads the ledger, is the use case in app/budgetReport.ts.
import type { Inventory } from "../../contracts/inventory.js";
import type { UsageAggregate } from "./records.js";
import type { BudgetState } from "./budget.js";
import { daysOf } from "./period.js";

const GiB = 1024n ** 3n;

/**
 * The usage an inventory provisions for a month, as the daily aggregates the engine prices: one row per
 * department, day and meter (the engine adds exact amounts before it rounds a line, so summing the hosts
 * first prices the same, and 10,000 hosts give a few thousand rows rather than over a million).
 */
export function plannedUsage(inventory: Inventory, period: string): UsageAggregate[] {
  const perDay = new Map<string, { department: string; meter: string; valueHours: bigint }>();
  const add = (department: string, meter: string, valueHours: bigint): void => {
    const key = `${department}\u0000${meter}`;
    const row = perDay.get(key);
    if (row) row.valueHours += valueHours;
    else perDay.set(key, { department, meter, valueHours });
  };
  for (const h of inventory.hosts) {
    const diskBytes = h.disks.reduce((a, d) => a + BigInt(d.sizeGiB) * GiB, 0n);
    add(h.department, "vcpus", BigInt(h.vcpus) * 24n);
    add(h.department, "memory_bytes", BigInt(Math.round(h.memoryGiB * 1024)) * 1024n * 1024n * 24n);
    if (diskBytes > 0n) add(h.department, "fs_used_bytes", diskBytes * 24n);
  }
  for (const s of inventory.shares) add(s.department, "share_used_bytes", BigInt(s.quotaGiB) * GiB * 24n);
  return daysOf(period).flatMap((day) =>
    [...perDay.values()].map((r) => ({
      department: r.department,
      day,
      meter: r.meter,
      valueHours: r.valueHours,
      hoursGap: 0,
    })),
  );
}

export type AlertState = BudgetState;

export interface BudgetLine {
  department: string;
  name: string;
  forecast: string;
  actual: string;
  /** Actual extrapolated to the month's end (equal to actual for a finished month). */
  projected: string;
  budget: string | null;
  /** max(actual, projected) as a percentage of the monthly budget. */
  budgetUsedPercent: number | null;
  alert: AlertState;
}
