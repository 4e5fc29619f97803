// The FOCUS cost and usage dataset as Azure Cost Management exports it ("Cost and usage details (FOCUS)",
// export type FocusCost): the columns the reconciliation reads, and how one row is allocated to a
// department. Pure rules; reading files is app/focusImport.ts.
//
// Column names from Azure's schema (MicrosoftDocs/azure-docs,
// articles/cost-management-billing/dataset-schema/cost-usage-details-focus.md: versions 1.2-preview, 1.0r2
// and 1.0) and the FOCUS specification (FinOps-Open-Cost-and-Usage-Spec/FOCUS_Spec, specification/columns/).
// 1.0 names the invoice `x_InvoiceId`; 1.2 promoted it to `InvoiceId`. 1.0r2 differs from 1.0 only in
// dates carrying seconds ("2024-01-01T00:00:00Z" for "2024-01-01T00:00Z").
import { UsageError } from "../../errors.js";
import { parseBillAmount, type BillAmount } from "./money.js";

/** Columns every import needs; a file lacking one is refused, naming it. */
export const mandatoryFocusColumns = [
  "BilledCost",
  "EffectiveCost",
  "BillingCurrency",
  "BillingPeriodStart",
  "ChargeCategory",
  "ChargePeriodStart",
  "ResourceId",
  "ServiceCategory",
  "ServiceName",
  "Tags",
] as const;

/** The invoice column: `InvoiceId` from FOCUS 1.2(-preview) on, `x_InvoiceId` in Azure's 1.0 exports. */
export const invoiceColumns = ["InvoiceId", "x_InvoiceId"] as const;

/** Every column the import reads (Parquet reads only these). */
export const focusColumnsRead = [...mandatoryFocusColumns, ...invoiceColumns, "ChargeClass"] as const;

export type FocusColumn = (typeof focusColumnsRead)[number];

/** Where each column read sits in a file's header, or the error naming the missing ones. */
export function focusColumnIndex(header: readonly string[], file: string): Record<FocusColumn, number> {
  const position = new Map(header.map((name, i) => [name.trim().replace(/^\uFEFF/, ""), i]));
  const missing: string[] = mandatoryFocusColumns.filter((c) => !position.has(c));
  if (!invoiceColumns.some((c) => position.has(c))) missing.push("InvoiceId (x_InvoiceId in FOCUS 1.0)");
  if (missing.length > 0)
    throw new UsageError(
      `${file}: not a FOCUS cost and usage export: missing mandatory column${missing.length === 1 ? "" : "s"} ` +
        missing.join(", "),
    );
  return Object.fromEntries(focusColumnsRead.map((c) => [c, position.get(c) ?? -1])) as Record<FocusColumn, number>;
}

/** What a row is reduced to: its amounts and the keys the reconciliation groups by. */
export interface FocusRow {
  billingPeriod: string;
  chargePeriod: string;
  invoiceId: string;
  currency: string;
  chargeCategory: string;
  serviceCategory: string;
  serviceName: string;
  resourceId: string;
  tags: string;
  billedCost: BillAmount;
  effectiveCost: BillAmount;
}

export type CellValue = string | number | bigint | Date | null | undefined;

/** `YYYY-MM` of a FOCUS date: ISO 8601 text (with or without seconds) or a Parquet timestamp. */
export function monthOf(value: CellValue, what: string): string {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 7);
  const text = typeof value === "string" ? value.trim() : "";
  if (!/^\d{4}-(0[1-9]|1[0-2])(-\d{2}([T ].*)?)?$/.test(text))
    throw new UsageError(`${what} is not an ISO 8601 date: "${String(value ?? "")}"`);
  return text.slice(0, 7);
}

const textOf = (value: CellValue): string =>
  value === null || value === undefined ? "" : value instanceof Date ? value.toISOString() : String(value).trim();

/** One row of cells (by column index) as a FocusRow; `where` names the file and row in errors. */
export function focusRow(cell: (column: FocusColumn) => CellValue, where: string): FocusRow {
  const invoice = textOf(cell("InvoiceId")) || textOf(cell("x_InvoiceId"));
  return {
    billingPeriod: monthOf(cell("BillingPeriodStart"), `${where}: BillingPeriodStart`),
    chargePeriod: monthOf(cell("ChargePeriodStart"), `${where}: ChargePeriodStart`),
    invoiceId: invoice,
    currency: textOf(cell("BillingCurrency")),
    chargeCategory: textOf(cell("ChargeCategory")),
    serviceCategory: textOf(cell("ServiceCategory")),
    serviceName: textOf(cell("ServiceName")),
    resourceId: textOf(cell("ResourceId")),
    tags: textOf(cell("Tags")),
    billedCost: parseBillAmount(amountCell(cell("BilledCost")), `${where}: BilledCost`),
    effectiveCost: parseBillAmount(amountCell(cell("EffectiveCost")), `${where}: EffectiveCost`),
  };
}

function amountCell(value: CellValue): string | number | bigint | null | undefined {
  return value instanceof Date ? value.toISOString() : value;
}

/** The chargeback's cost types a bill's service categories fall in; all else is a shared cost. */
export type BillCostType = "compute" | "storage" | "shared";

export function costTypeOf(serviceCategory: string): BillCostType {
  const category = serviceCategory.toLowerCase();
  if (category === "compute") return "compute";
  if (category === "storage") return "storage";
  return "shared";
}

/** How a row found its department. */
export type AllocationMethod = "tag" | "resource" | "none";

export interface Allocation {
  /** '' when unallocated. */
  department: string;
  method: AllocationMethod;
}

/**
 * The `department` tag's value. Tags is a JSON object; Azure tag names are case-insensitive, so
 * `Department` and `department` are the same tag. A Tags cell that is not a JSON object has no tag.
 */
export function departmentTag(tags: string): string | undefined {
  if (tags === "" || !/department/i.test(tags)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(tags.startsWith("{") ? tags : `{${tags}}`);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return undefined;
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (key.trim().toLowerCase() === "department" && typeof value === "string" && value.trim() !== "")
      return value.trim();
  }
  return undefined;
}

/**
 * The owners of the stack's resources by name, lowercased: hosts, their disks and the file shares of the
 * inventory. Azure resource ids are case-insensitive and end in the resource's name
 * (`…/providers/Microsoft.Compute/virtualMachines/bz-app-01`, `…/disks/bz-app-01-data-0`,
 * `…/fileServices/default/shares/burgerzaken`).
 */
export type ResourceOwners = ReadonlyMap<string, string>;

export interface OwnedResources {
  hosts: readonly { name: string; department: string; disks?: readonly { name: string }[] }[];
  shares: readonly { name: string; department: string }[];
}

export function resourceOwners(inventory: OwnedResources): ResourceOwners {
  const owners = new Map<string, string>();
  for (const host of inventory.hosts) {
    owners.set(host.name.toLowerCase(), host.department);
    for (const disk of host.disks ?? []) owners.set(disk.name.toLowerCase(), host.department);
  }
  for (const share of inventory.shares) owners.set(share.name.toLowerCase(), share.department);
  return owners;
}

/** The department owning an Azure resource id: its name segments tried from the last (the resource) up. */
export function ownerOfResource(resourceId: string, owners: ResourceOwners): string | undefined {
  if (resourceId === "") return undefined;
  const segments = resourceId.toLowerCase().split("/");
  const providers = segments.indexOf("providers");
  // After `providers/<namespace>` the segments alternate type and name: names sit at odd offsets from 3 on.
  // A subscription or resource group (no providers part) is no resource of the inventory, even when named
  // like one; a bare name (no slash) is tried as it is.
  const names =
    providers < 0
      ? segments.length === 1
        ? segments
        : []
      : segments.filter((_s, i) => i - providers >= 3 && (i - providers) % 2 === 1).reverse();
  for (const name of names) {
    const owner = owners.get(name);
    if (owner !== undefined) return owner;
  }
  return undefined;
}

/**
 * Allocate a row: the `department` tag, else the inventory owner of its resource id, else unallocated.
 * A tag naming a department the ledger does not know is kept under that id (flagged when reconciled);
 * a tag written in another case than a known id (`Burgerzaken`) is that department.
 */
export function allocateRow(
  row: Pick<FocusRow, "tags" | "resourceId">,
  owners: ResourceOwners,
  knownDepartments: ReadonlySet<string>,
): Allocation {
  const tag = departmentTag(row.tags);
  if (tag !== undefined) {
    const lower = tag.toLowerCase();
    return { department: knownDepartments.has(lower) ? lower : tag, method: "tag" };
  }
  const owner = ownerOfResource(row.resourceId, owners);
  if (owner !== undefined) return { department: owner, method: "resource" };
  return { department: "", method: "none" };
}
