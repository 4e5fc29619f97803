// The month's chargeback as a FOCUS 1.2 dataset (FinOps Open Cost and Usage Specification, June 2025), so
// finance and BI tools that read cloud bills can read the internal one too. Central ICT is the provider,
// publisher and invoice issuer; every department's statement of the month is one invoice (InvoiceId =
// its statement id), its cost centre the billing account. What nobody is charged (unallocated usage,
// unrecovered cost, the rounding residue) is in the dataset too, without an InvoiceId (FOCUS: "null when
// the charge is not associated with an invoice"), so the dataset sums to the month's cost pools.
// Amounts are the statement's cents, written as exact decimals; quantities as the statement has them.
import type { ChargebackJson, StatementLineJson } from "./chargeback.js";
import { firstDay, nextPeriod } from "./period.js";

/** The FOCUS 1.2 columns written, mandatory ones first (specification/columns/*.md, "Feature level"). */
export const focusColumns = [
  "BilledCost",
  "BillingAccountId",
  "BillingAccountName",
  "BillingCurrency",
  "BillingPeriodEnd",
  "BillingPeriodStart",
  "ChargeCategory",
  "ChargeClass",
  "ChargeDescription",
  "ChargePeriodEnd",
  "ChargePeriodStart",
  "ContractedCost",
  "EffectiveCost",
  "InvoiceIssuer",
  "ListCost",
  "PricingQuantity",
  "PricingUnit",
  "Provider",
  "Publisher",
  "ServiceCategory",
  "ServiceName",
  // recommended and conditional columns we can fill
  "InvoiceId",
  "ChargeFrequency",
  "ConsumedQuantity",
  "ConsumedUnit",
  "SubAccountId",
  "SubAccountName",
  "SkuPriceId",
  // custom columns (FOCUS: "x_" prefix)
  "x_Department",
  "x_CostCenter",
  "x_CostType",
  "x_Item",
  "x_RateVersion",
] as const;
export type FocusColumn = (typeof focusColumns)[number];

/** A value of a FOCUS row: text, an exact decimal (kept as its text), or null. */
export type FocusValue = { text: string } | { decimal: string } | null;
export type FocusRow = Record<FocusColumn, FocusValue>;

export interface FocusExportInput {
  statement: ChargebackJson;
  /** Who charges: central ICT's name (Provider, Publisher, InvoiceIssuer). */
  issuer: string;
  /** Adjustment items (`adjustment-<id>`) that correct an earlier month → that month. */
  corrections: ReadonlyMap<string, string>;
}

/** A department's statement of a month, the InvoiceId of its rows: "CB-2026-10-burgerzaken". */
export function statementId(period: string, department: string): string {
  return `CB-${period}-${department}`;
}

const categoryOf: Record<string, { charge: string; service: string; serviceName: string; frequency: string }> = {
  compute: { charge: "Usage", service: "Compute", serviceName: "Servers (compute)", frequency: "Usage-Based" },
  storage: { charge: "Usage", service: "Storage", serviceName: "Storage", frequency: "Usage-Based" },
  licences: { charge: "Purchase", service: "Business Applications", serviceName: "Licences", frequency: "Recurring" },
  shared: { charge: "Purchase", service: "Other", serviceName: "Shared ICT services", frequency: "Recurring" },
  adjustments: { charge: "Adjustment", service: "Other", serviceName: "Adjustments", frequency: "One-Time" },
  rounding: { charge: "Adjustment", service: "Other", serviceName: "Rounding", frequency: "One-Time" },
};

const text = (value: string | null | undefined): FocusValue =>
  value === null || value === undefined || value === "" ? null : { text: value };
const decimal = (value: string): FocusValue => ({ decimal: value });

/** The FOCUS rows of a month's chargeback, one per statement line, in the statement's order. */
export function focusRows(input: FocusExportInput): FocusRow[] {
  const { statement, issuer, corrections } = input;
  const start = `${firstDay(statement.period)}T00:00:00Z`;
  const end = `${firstDay(nextPeriod(statement.period))}T00:00:00Z`;
  const departments = new Map(statement.departments.map((d) => [d.id, d]));
  return statement.lines.map((line) => {
    const department = departments.get(line.owner);
    const category = categoryOf[line.costType] ?? categoryOf.adjustments;
    const correctionOf = line.costType === "adjustments" ? corrections.get(line.item) : undefined;
    const amount = decimal(line.amount);
    const metered = line.unit !== "item";
    return {
      BilledCost: amount,
      BillingAccountId: text(department?.costCenter ?? line.owner),
      BillingAccountName: text(department?.name ?? notCharged(line.owner)),
      BillingCurrency: text(statement.currency),
      BillingPeriodEnd: text(end),
      BillingPeriodStart: text(start),
      ChargeCategory: text(category?.charge),
      ChargeClass: correctionOf !== undefined ? text("Correction") : null,
      ChargeDescription: text(line.description),
      ChargePeriodEnd: text(end),
      ChargePeriodStart: text(start),
      ContractedCost: amount,
      EffectiveCost: amount,
      InvoiceIssuer: text(issuer),
      ListCost: amount,
      PricingQuantity: decimal(line.quantity),
      PricingUnit: text(pricingUnit(line)),
      Provider: text(issuer),
      Publisher: text(issuer),
      ServiceCategory: text(category?.service),
      ServiceName: text(category?.serviceName),
      InvoiceId: department ? text(statementId(statement.period, department.id)) : null,
      ChargeFrequency: text(category?.frequency),
      ConsumedQuantity: metered ? decimal(line.quantity) : null,
      ConsumedUnit: metered ? text(line.unit) : null,
      SubAccountId: text(line.owner),
      SubAccountName: text(department?.name ?? notCharged(line.owner)),
      SkuPriceId: line.rateVersion ? text(`${line.item}@${line.rateVersion}`) : null,
      x_Department: text(line.owner),
      x_CostCenter: text(department?.costCenter),
      x_CostType: text(line.costType),
      x_Item: text(line.item),
      x_RateVersion: text(line.rateVersion),
    };
  });
}

function notCharged(owner: string): string {
  return owner === "unallocated" ? "Not charged: usage without an owner" : `Not charged: ${owner} by central ICT`;
}

/** FOCUS Unit Format names for our units (specification/attributes/unit_format.md), else our own. */
function pricingUnit(line: StatementLineJson): string {
  const units: Record<string, string> = {
    "vCPU-hours": "vCPU-Hours",
    "GiB-hours": "GiB-Hours",
    "GB-months": "GB-Months",
    "seat-months": "Seat-Months",
    item: "Units",
  };
  return units[line.unit] ?? line.unit;
}
