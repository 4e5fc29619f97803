// FOCUS exports shaped exactly like Azure Cost Management's "Cost and usage details (FOCUS)": every column,
// in Azure's order, as listed in MicrosoftDocs/azure-docs,
// articles/cost-management-billing/dataset-schema/cost-usage-details-focus.md ("Version 1.2-preview",
// 105 columns; "Version 1.0", 96 columns; 1.0r2 is 1.0 with seconds in its dates). The column semantics are
// FOCUS's (FinOps-Open-Cost-and-Usage-Spec/FOCUS_Spec, specification/columns/). Cells a test does not set
// are empty, as Azure leaves columns that do not apply. The Parquet files are written with hyparquet-writer
// (snappy, Azure's Parquet codec) from the same column list and rows, so they carry the same content.
import { writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { parquetWriteBuffer } from "hyparquet-writer";

const shared = [
  "BilledCost",
  "BillingAccountId",
  "BillingAccountName",
  "BillingAccountType",
  "BillingCurrency",
  "BillingPeriodEnd",
  "BillingPeriodStart",
];

export const focus12PreviewColumns = [
  ...shared,
  "CapacityReservationId",
  "CapacityReservationStatus",
  "ChargeCategory",
  "ChargeClass",
  "ChargeDescription",
  "ChargeFrequency",
  "ChargePeriodEnd",
  "ChargePeriodStart",
  "CommitmentDiscountCategory",
  "CommitmentDiscountId",
  "CommitmentDiscountName",
  "CommitmentDiscountQuantity",
  "CommitmentDiscountStatus",
  "CommitmentDiscountType",
  "CommitmentDiscountUnit",
  "ConsumedQuantity",
  "ConsumedUnit",
  "ContractedCost",
  "ContractedUnitPrice",
  "EffectiveCost",
  "InvoiceId",
  "InvoiceIssuerName",
  "ListCost",
  "ListUnitPrice",
  "PricingCategory",
  "PricingCurrency",
  "PricingQuantity",
  "PricingUnit",
  "ProviderName",
  "PublisherName",
  "RegionId",
  "RegionName",
  "ResourceId",
  "ResourceName",
  "ResourceType",
  "ServiceCategory",
  "ServiceName",
  "ServiceSubcategory",
  "SkuId",
  "SkuMeter",
  "SkuPriceDetails",
  "SkuPriceId",
  "SubAccountId",
  "SubAccountName",
  "SubAccountType",
  "Tags",
  "x_AccountId",
  "x_AccountName",
  "x_AccountOwnerId",
  "x_AmortizationClass",
  "x_BilledCostInUsd",
  "x_BilledUnitPrice",
  "x_BillingAccountId",
  "x_BillingAccountName",
  "x_BillingExchangeRate",
  "x_BillingExchangeRateDate",
  "x_BillingProfileId",
  "x_BillingProfileName",
  "x_ContractedCostInUsd",
  "x_CostAllocationRuleName",
  "x_CostCenter",
  "x_CustomerId",
  "x_CustomerName",
  "x_EffectiveCostInUsd",
  "x_EffectiveUnitPrice",
  "x_InvoiceSectionId",
  "x_InvoiceSectionName",
  "x_ListCostInUsd",
  "x_PartnerCreditApplied",
  "x_PartnerCreditRate",
  "x_PricingBlockSize",
  "x_PricingCurrency",
  "x_PricingSubcategory",
  "x_PricingUnitDescription",
  "x_PublisherCategory",
  "x_PublisherId",
  "x_ResellerId",
  "x_ResellerName",
  "x_ResourceGroupName",
  "x_ResourceType",
  "x_ServiceModel",
  "x_ServicePeriodEnd",
  "x_ServicePeriodStart",
  "x_SkuDescription",
  "x_SkuDetails",
  "x_SkuIsCreditEligible",
  "x_SkuMeterCategory",
  "x_SkuMeterId",
  "x_SkuMeterName",
  "x_SkuMeterSubcategory",
  "x_SkuOfferId",
  "x_SkuOrderId",
  "x_SkuOrderName",
  "x_SkuPlanName",
  "x_SkuPartNumber",
  "x_SkuRegion",
  "x_SkuServiceFamily",
  "x_SkuTier",
];

export const focus10Columns = [
  ...shared,
  "ChargeCategory",
  "ChargeClass",
  "ChargeDescription",
  "ChargeFrequency",
  "ChargePeriodEnd",
  "ChargePeriodStart",
  "CommitmentDiscountCategory",
  "CommitmentDiscountId",
  "CommitmentDiscountName",
  "CommitmentDiscountStatus",
  "CommitmentDiscountType",
  "ConsumedQuantity",
  "ConsumedUnit",
  "ContractedCost",
  "ContractedUnitPrice",
  "EffectiveCost",
  "InvoiceIssuerName",
  "ListCost",
  "ListUnitPrice",
  "PricingCategory",
  "PricingQuantity",
  "PricingUnit",
  "ProviderName",
  "PublisherName",
  "RegionId",
  "RegionName",
  "ResourceId",
  "ResourceName",
  "ResourceType",
  "ServiceCategory",
  "ServiceName",
  "SkuId",
  "SkuPriceId",
  "SubAccountId",
  "SubAccountName",
  "SubAccountType",
  "Tags",
  "x_AccountId",
  "x_AccountName",
  "x_AccountOwnerId",
  "x_BilledCostInUsd",
  "x_BilledUnitPrice",
  "x_BillingAccountId",
  "x_BillingAccountName",
  "x_BillingExchangeRate",
  "x_BillingExchangeRateDate",
  "x_BillingProfileId",
  "x_BillingProfileName",
  "x_ContractedCostInUsd",
  "x_CostAllocationRuleName",
  "x_CostCenter",
  "x_CustomerId",
  "x_CustomerName",
  "x_EffectiveCostInUsd",
  "x_EffectiveUnitPrice",
  "x_InvoiceId",
  "x_InvoiceIssuerId",
  "x_InvoiceSectionId",
  "x_InvoiceSectionName",
  "x_ListCostInUsd",
  "x_PartnerCreditApplied",
  "x_PartnerCreditRate",
  "x_PricingBlockSize",
  "x_PricingCurrency",
  "x_PricingSubcategory",
  "x_PricingUnitDescription",
  "x_PublisherCategory",
  "x_PublisherId",
  "x_ResellerId",
  "x_ResellerName",
  "x_ResourceGroupName",
  "x_ResourceType",
  "x_ServicePeriodEnd",
  "x_ServicePeriodStart",
  "x_SkuDescription",
  "x_SkuDetails",
  "x_SkuIsCreditEligible",
  "x_SkuMeterCategory",
  "x_SkuMeterId",
  "x_SkuMeterName",
  "x_SkuMeterSubcategory",
  "x_SkuOfferId",
  "x_SkuOrderId",
  "x_SkuOrderName",
  "x_SkuPartNumber",
  "x_SkuRegion",
  "x_SkuServiceFamily",
  "x_SkuTerm",
  "x_SkuTier",
];

export type FocusVersion = "1.0" | "1.0r2" | "1.2-preview";

/** What a test row sets; everything else is filled as Azure would or left empty. */
export interface TestCharge {
  billed: string;
  effective?: string;
  /** YYYY-MM; default the billing period. */
  chargeMonth?: string;
  category?: string;
  serviceCategory?: string;
  serviceName?: string;
  resourceId?: string;
  tags?: Record<string, string>;
  invoice?: string;
}

const subscription = "/subscriptions/00000000-0000-0000-0000-00000000aaaa";

export function vmId(name: string, group = "rg-leiden-prod"): string {
  return `${subscription}/resourceGroups/${group}/providers/Microsoft.Compute/virtualMachines/${name}`;
}

function date(month: string, version: FocusVersion, nextMonth = false): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const d = nextMonth ? new Date(Date.UTC(y, m, 1)) : new Date(Date.UTC(y, m - 1, 1));
  const iso = d.toISOString().slice(0, 10);
  return version === "1.0" ? `${iso}T00:00Z` : `${iso}T00:00:00Z`;
}

export function focusRecords(version: FocusVersion, period: string, charges: readonly TestCharge[]): string[][] {
  const columns = version === "1.2-preview" ? focus12PreviewColumns : focus10Columns;
  return charges.map((c) => {
    const month = c.chargeMonth ?? period;
    const values: Record<string, string> = {
      BilledCost: c.billed,
      EffectiveCost: c.effective ?? c.billed,
      BillingAccountId: "/providers/Microsoft.Billing/billingAccounts/12345678",
      BillingAccountName: "Gemeente Leiden",
      BillingAccountType: "Billing Account",
      BillingCurrency: "EUR",
      BillingPeriodStart: date(period, version),
      BillingPeriodEnd: date(period, version, true),
      ChargeCategory: c.category ?? "Usage",
      ChargeFrequency: "Usage-Based",
      ChargePeriodStart: date(month, version),
      ChargePeriodEnd: date(month, version, true),
      InvoiceIssuerName: "Microsoft",
      [version === "1.2-preview" ? "InvoiceId" : "x_InvoiceId"]: c.invoice ?? `G0${period.replace("-", "")}01`,
      ProviderName: "Microsoft",
      PublisherName: "Microsoft",
      RegionId: "westeurope",
      RegionName: "West Europe",
      ResourceId: c.resourceId ?? "",
      ResourceName: (c.resourceId ?? "").split("/").pop() ?? "",
      ServiceCategory: c.serviceCategory ?? "Compute",
      ServiceName: c.serviceName ?? "Virtual Machines",
      SubAccountId: subscription,
      SubAccountName: "leiden-prod",
      Tags: c.tags ? JSON.stringify(c.tags) : "{}",
      x_ResourceGroupName: "rg-leiden-prod",
    };
    return columns.map((name) => values[name] ?? "");
  });
}

export function focusCsv(version: FocusVersion, period: string, charges: readonly TestCharge[]): string {
  const columns = version === "1.2-preview" ? focus12PreviewColumns : focus10Columns;
  // Plain RFC 4180 as Azure writes it: no spreadsheet-formula guard on negative amounts (csvWriter.ts has one).
  const quote = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
  const lines = [columns, ...focusRecords(version, period, charges)].map((r) => r.map(quote).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

export function writeFocusCsv(path: string, version: FocusVersion, period: string, charges: readonly TestCharge[]) {
  writeFileSync(path, focusCsv(version, period, charges));
}

export function writeFocusCsvGz(path: string, version: FocusVersion, period: string, charges: readonly TestCharge[]) {
  writeFileSync(path, gzipSync(focusCsv(version, period, charges)));
}

/** Costs as DOUBLE, dates as TIMESTAMP, text as STRING; `rowGroupSize` small to exercise row groups. */
export function writeFocusParquet(
  path: string,
  version: FocusVersion,
  period: string,
  charges: readonly TestCharge[],
  rowGroupSize = 2,
): void {
  const columns = version === "1.2-preview" ? focus12PreviewColumns : focus10Columns;
  const records = focusRecords(version, period, charges);
  const numeric = new Set(["BilledCost", "EffectiveCost", "ListCost", "ContractedCost"]);
  const dates = new Set(["BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodStart", "ChargePeriodEnd"]);
  const columnData = columns.map((name, i) => {
    const cells = records.map((r) => r[i] ?? "");
    if (numeric.has(name))
      return { name, type: "DOUBLE" as const, data: cells.map((c) => (c === "" ? null : Number(c))) };
    if (dates.has(name))
      return { name, type: "TIMESTAMP" as const, data: cells.map((c) => (c === "" ? null : new Date(c))) };
    return { name, type: "STRING" as const, data: cells.map((c) => (c === "" ? null : c)) };
  });
  writeFileSync(path, Buffer.from(parquetWriteBuffer({ columnData, rowGroupSize })));
}
