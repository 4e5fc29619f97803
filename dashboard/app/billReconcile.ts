// `muniops costs reconcile --period`, the costs page and GET /api/v1/costs/reconciliation: one function.
// The month's bill is the charges incurred in it (ChargePeriodStart), from whichever billing period's
// export they came; the invoices are those billed in it (BillingPeriodStart).
import { billGroups, billingPeriods } from "../data-access/billStore.js";
import type { Ledger } from "../data-access/database.js";
import { loadPricingData } from "../data-access/masterData.js";
import { reconcileBill, type ReconciliationJson } from "../domain/billReconciliation.js";
import { parsePeriod } from "../domain/period.js";
import { chargebackTotals } from "./chargeback.js";

export async function reconcileMonth(ledger: Ledger, period: string): Promise<ReconciliationJson> {
  parsePeriod(period, "period");
  const pricing = await loadPricingData(ledger.db);
  const [incurred, billed, charged] = await Promise.all([
    billGroups(ledger.db, { chargePeriod: period }),
    billGroups(ledger.db, { billingPeriod: period }),
    chargebackTotals(ledger, period, pricing),
  ]);
  const known = new Set(pricing.departments.map((d) => d.id));
  const { compute, storage, shared } = charged.breakdown.pools;
  return reconcileBill(
    period,
    incurred,
    billed,
    { departments: charged.departments, pools: { compute, storage, shared } },
    known,
  );
}

/** The months a bill was imported for, newest first (the page's month list). */
export async function billedMonths(ledger: Ledger): Promise<string[]> {
  return (await billingPeriods(ledger.db)).reverse();
}
