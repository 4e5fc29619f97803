// `muniops ledger budget`: per department the month's forecast (the plan priced by the rate card), its actual
// charges, the projection to the month's end and the budget state, all by the rules in domain/budget.ts.
import type { Inventory } from "../../contracts/inventory.js";
import type { Ledger } from "../data-access/database.js";
import { loadMasterData } from "../data-access/masterData.js";
import { budgetState, monthProgress, monthlyBudget, projectMonth } from "../domain/budget.js";
import { computeChargeback } from "../domain/chargebackEngine.js";
import { plannedUsage, type BudgetLine } from "../domain/forecast.js";
import { formatEuros, parseCents } from "../domain/money.js";
import { parsePeriod } from "../domain/period.js";
import { chargeback } from "./chargeback.js";

export async function budgetReport(
  ledger: Ledger,
  period: string,
  inventory: Inventory,
  now: number = Date.now(),
): Promise<{ period: string; daysElapsed: number; days: number; departments: BudgetLine[] }> {
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
