// What the costs page and /api/v1/costs show a principal: the month's reconciliation (app/billReconcile.ts)
// whole for service managers, auditors and admins; for a department controller only their own
// departments' lines, without the organisation-wide figures (invoices, unallocated, totals, services).
import { canSeeDepartment, organisationMoneyRoles, type Principal } from "../auth/roles.js";
import type { ReconciliationJson } from "../domain/billReconciliation.js";
import { currentPeriod } from "../domain/period.js";
import { billedMonths, reconcileMonth } from "./billReconcile.js";
import type { DashboardService } from "./dashboardService.js";
import { currentRateProposal, type SavedRateProposal } from "./rateProposals.js";

export type ScopedReconciliation =
  | (ReconciliationJson & { scope: "organisation" })
  | (Pick<ReconciliationJson, "period" | "currency" | "departments"> & { scope: "departments" });

export function scopeReconciliation(doc: ReconciliationJson, principal: Principal): ScopedReconciliation {
  if (organisationMoneyRoles.includes(principal.role)) return { ...doc, scope: "organisation" };
  const departments = doc.departments.filter((d) => canSeeDepartment(principal, d.id));
  return { period: doc.period, currency: doc.currency, departments, scope: "departments" };
}

export interface CostView {
  period: string;
  /** Months with an imported bill, newest first. */
  months: string[];
  reconciliation: ScopedReconciliation;
  /** The latest rate proposal (organisation-wide roles only). */
  proposal?: SavedRateProposal;
}

/** The month asked for, else the newest billed month, else the current month. */
export async function costView(service: DashboardService, principal: Principal, period?: string): Promise<CostView> {
  const months = await billedMonths(service.ledger);
  const month = period ?? months[0] ?? currentPeriod(service.nowMs());
  const reconciliation = scopeReconciliation(await reconcileMonth(service.ledger, month), principal);
  const proposal = organisationMoneyRoles.includes(principal.role)
    ? await currentRateProposal(service.ledger)
    : undefined;
  return { period: month, months, reconciliation, ...(proposal ? { proposal } : {}) };
}
