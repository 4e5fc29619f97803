// A bill reduced to what the reconciliation reads: exact sums per billing period, charge month, invoice,
// department, allocation method, service and charge category. Millions of rows become a few hundred
// groups while the file streams, so neither the import nor the ledger holds a row per charge.
import type { AllocationMethod, FocusRow } from "./focus.js";
import type { BillAmount } from "./money.js";

export interface BillGroup {
  billingPeriod: string;
  /** The month the charge was incurred (ChargePeriodStart): what a month's reconciliation counts. */
  chargePeriod: string;
  invoiceId: string;
  /** '' when unallocated. */
  department: string;
  method: AllocationMethod;
  serviceCategory: string;
  serviceName: string;
  chargeCategory: string;
  billedCost: BillAmount;
  effectiveCost: BillAmount;
  rows: number;
}

export interface BillingPeriodTotals {
  billingPeriod: string;
  currency: string;
  rows: number;
  billedCost: BillAmount;
  effectiveCost: BillAmount;
}

export class BillGroups {
  private readonly groups = new Map<string, BillGroup>();
  private readonly periods = new Map<string, BillingPeriodTotals>();

  add(row: FocusRow, department: string, method: AllocationMethod): void {
    const key = [
      row.billingPeriod,
      row.chargePeriod,
      row.invoiceId,
      department,
      method,
      row.serviceCategory,
      row.serviceName,
      row.chargeCategory,
    ].join("\u0000");
    let group = this.groups.get(key);
    if (group === undefined) {
      const { billingPeriod, chargePeriod, invoiceId, serviceCategory, serviceName, chargeCategory } = row;
      group = {
        ...{ billingPeriod, chargePeriod, invoiceId, department, method, serviceCategory, serviceName },
        ...{ chargeCategory, billedCost: 0n, effectiveCost: 0n, rows: 0 },
      };
      this.groups.set(key, group);
    }
    group.billedCost += row.billedCost;
    group.effectiveCost += row.effectiveCost;
    group.rows += 1;
    let period = this.periods.get(row.billingPeriod);
    if (period === undefined) {
      period = { billingPeriod: row.billingPeriod, currency: row.currency, rows: 0, billedCost: 0n, effectiveCost: 0n };
      this.periods.set(row.billingPeriod, period);
    }
    period.rows += 1;
    period.billedCost += row.billedCost;
    period.effectiveCost += row.effectiveCost;
  }

  all(): BillGroup[] {
    return [...this.groups.values()];
  }

  billingPeriods(): BillingPeriodTotals[] {
    return [...this.periods.values()].sort((a, b) => a.billingPeriod.localeCompare(b.billingPeriod));
  }
}
