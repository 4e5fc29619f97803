// Read models of a department, the months and the licence contracts, as both the JSON API and the pages
// show them: one function per view, so the two entry points cannot disagree on what a view contains.
import type { Principal } from "../auth/roles.js";
import { departmentScope } from "../auth/roles.js";
import type { LicenceContract } from "../domain/records.js";
import { formatEuros, formatMicroEuros } from "../domain/money.js";
import { currentPeriod, previousPeriod } from "../domain/period.js";
import { storageTrend } from "./storageTrend.js";
import { notFound } from "./appError.js";
import type { DashboardService } from "./dashboardService.js";
import { statusesOf } from "./hostViews.js";

export async function departmentDetail(
  service: DashboardService,
  principal: Principal,
  id: string,
  period: string,
  slaTarget: number,
) {
  const master = await service.masterData();
  const department = master.departments.find((d) => d.id === id);
  if (!department) throw notFound(`department "${id}"`);
  const doc = await service.chargeback(principal, period);
  const charge = doc.departments.find((d) => d.id === id) ?? null;
  const hosts = await statusesOf(
    service,
    master.hosts.filter((h) => h.department === id),
    period,
    slaTarget,
  );
  const licences = master.licenceAssignments.filter((a) => a.department === id);
  return {
    period,
    department: {
      id: department.id,
      name: department.name,
      costCenter: department.costCenter,
      headcount: department.headcount,
      annualBudget: department.annualBudgetCents === null ? null : formatEuros(department.annualBudgetCents),
    },
    charge,
    lines: doc.lines.filter((l) => l.owner === id),
    errors: (doc.errors ?? []).filter((e) => e.owner === id),
    statement: await service.statementState(period, id),
    hosts,
    storageTrend: await storageTrend(service.ledger.db, id, period),
    shares: master.shares.filter((s) => s.department === id),
    licences: licences.map((a) => ({
      ...a,
      productName: master.licenceProducts.find((p) => p.id === a.productId)?.name ?? a.productId,
    })),
  };
}

export async function periodList(service: DashboardService, principal: Principal) {
  const closed = await service.closedPeriods();
  const current = currentPeriod(service.nowMs());
  const months: string[] = [];
  for (let p = current, i = 0; i < 12; i++, p = previousPeriod(p)) months.push(p);
  for (const c of closed) if (!months.includes(c.period)) months.push(c.period);
  months.sort().reverse();
  const scope = departmentScope(principal);
  return Promise.all(
    months.map(async (period) => {
      const c = closed.find((x) => x.period === period);
      if (!c) return { period, status: period === current ? "current" : "open" };
      const doc = await service.fullChargeback(period);
      const signOff = (doc.signOff ?? []).filter((s) => !scope || scope.includes(s.department));
      return { period, status: "closed", closedAt: c.closedAt, closedBy: c.closedBy, hash: c.hash, signOff };
    }),
  );
}

/** Licence contracts with their unit price as euros (up to six decimals). */
export function contractRows(contracts: readonly LicenceContract[]) {
  return contracts.map((c) => ({
    id: c.id,
    productId: c.productId,
    quantity: c.quantity,
    unitPrice: formatMicroEuros(c.unitPriceMicroEur),
    startDate: c.startDate,
    endDate: c.endDate,
    supplier: c.supplier,
    purchaseOrder: c.purchaseOrder,
  }));
}
