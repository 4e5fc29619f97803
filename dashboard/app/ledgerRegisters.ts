// The ledger's registers as people read them: the adjustments of a month, within the reader's departments,
// and the audit log. The JSON API and the pages both list them through these, never by a query of their own.
import { departmentScope, type Principal } from "../auth/roles.js";
import { readAuditLog, type AuditLogFilter } from "../data-access/auditLog.js";
import type { AuditEntry } from "../domain/auditEntry.js";
import { adjustmentsFor } from "../data-access/periods.js";
import type { Adjustment } from "../domain/records.js";
import type { DashboardService } from "./dashboardService.js";

/** The month's adjustments of the departments `principal` may see. */
export async function visibleAdjustments(
  service: DashboardService,
  principal: Principal,
  period: string,
): Promise<Adjustment[]> {
  const scope = departmentScope(principal);
  return (await adjustmentsFor(service.ledger.db, period)).filter((a) => !scope || scope.includes(a.department));
}

export function auditLogEntries(service: DashboardService, filter: AuditLogFilter): Promise<AuditEntry[]> {
  return readAuditLog(service.ledger.db, filter);
}
