// Forecast and budgets. A department's forecast is the plan's inventory priced at the rate card: the
// same chargeback engine, fed with the usage the inventory provisions (every host all month, disks and
// shares full), so forecast and actual are priced by one set of rules.
import type { Inventory } from "../../contracts/inventory.js";
import type { Ledger } from "../data-access/database.js";
import { loadMasterData } from "../data-access/masterData.js";
import type { UsageAggregate } from "./records.js";
import { chargeback } from "../app/chargeback.js";
import { computeChargeback } from "./chargebackEngine.js";
import { budgetState, monthProgress, monthlyBudget, projectMonth, type BudgetState } from "./budget.js";
import { formatEuros, parseCents } from "./money.js";
import { daysOf, parsePeriod } from "./period.js";

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
  return daysOf(period).flatMap((day) => [...perDay.values()].map((r) => ({ department: r.department, day, meter: r.meter, valueHours: r.valueHours, hoursGap: 0 })));
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

export async function budgetReport(ledger: Ledger, period: string, inventory: Inventory, now: number = Date.now()): Promise<{ period: string; daysElapsed: number; days: number; departments: BudgetLine[] }> {
  parsePeriod(period);
  const master = await loadMasterData(ledger.db);
  const forecast = computeChargeback({ period, ...master, usage: plannedUsage(inventory, period), adjustments: [] });
  const actual = await chargeback(ledger, period);
  const progress = monthProgress(period, now);
  const departments = master.departments.map((d) => {
    const f = forecast.departments.find((x) => x.id === d.id)?.total ?? 0n;
    const charged = actual.departments.find((x) => x.id === d.id);
    const a = parseCents(charged?.total ?? "0.00", "total");
    const usage = parseCents(charged?.compute ?? "0.00", "compute") + parseCents(charged?.storage ?? "0.00", "storage");
    const projected = projectMonth({ total: a, usage }, progress, f);
    const budget = monthlyBudget(d.annualBudgetCents);
    const position = budgetState(a, projected, budget);
    return {
      department: d.id,
      name: d.name,
      forecast: formatEuros(f),
      actual: formatEuros(a),
      projected: formatEuros(projected),
      budget: budget === null ? null : formatEuros(budget),
      budgetUsedPercent: position.usedPercent,
      alert: position.state,
    };
  });
  return { period, daysElapsed: progress.daysElapsed, days: progress.days, departments };
}
