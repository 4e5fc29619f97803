// The licence position of a month, per product: seats purchased, assigned (per department) and free,
// as of the month's last day.
import type { MasterData } from "./records.js";
import { lastDay, parsePeriod } from "./period.js";

export interface LicencePosition {
  product: string;
  name: string;
  licenceType: string;
  purchased: number;
  assigned: number;
  free: number;
  /** Seats assigned beyond what was bought: a compliance risk, not a cost. */
  overAssigned: number;
  byDepartment: Record<string, number>;
}

type LicenceMaster = Pick<MasterData, "licenceProducts" | "licenceContracts" | "licenceAssignments">;

/** The position at the end of a month (the CLI's `muniops ledger licences --period`). */
export function licencePosition(master: LicenceMaster, period: string): LicencePosition[] {
  parsePeriod(period);
  return licencePositionOn(master, lastDay(period));
}

/**
 * The position on one day (YYYY-MM-DD): free seats never below zero; seats assigned beyond what was
 * bought are reported as over-assigned instead, for the CLI, the API and the pages alike.
 */
export function licencePositionOn(master: LicenceMaster, day: string): LicencePosition[] {
  const active = (from: string, to: string | null): boolean => from <= day && (to === null || day <= to);
  return master.licenceProducts.map((p) => {
    const purchased = master.licenceContracts
      .filter((c) => c.productId === p.id && active(c.startDate, c.endDate))
      .reduce((a, c) => a + c.quantity, 0);
    const byDepartment: Record<string, number> = {};
    for (const a of master.licenceAssignments)
      if (a.productId === p.id && active(a.validFrom, a.validTo))
        byDepartment[a.department] = (byDepartment[a.department] ?? 0) + a.seats;
    const assigned = Object.values(byDepartment).reduce((a, b) => a + b, 0);
    return {
      product: p.id,
      name: p.name,
      licenceType: p.licenceType,
      purchased,
      assigned,
      free: Math.max(0, purchased - assigned),
      overAssigned: Math.max(0, assigned - purchased),
      byDepartment,
    };
  });
}
