// The demo's cloud bill: a FOCUS 1.2-preview export per month, as Azure Cost Management would write it for the
// leiden-prod inventory (one row per resource and month, CSV.gz), priced at the list prices of
// domain/listPrices.ts, and imported through `costs import`'s own code so the costs page has its history.
// Like a real tenant it is not perfectly tagged: some servers lack tags (found by resource id), some carry
// `Department` in another case, and the hub's shared resources carry no department at all (unallocated).
// Deterministic: the same months give the same files, so a kept ledger imports nothing twice.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Inventory } from "../../contracts/inventory.js";
import { importBill } from "../app/billImport.js";
import type { Ledger } from "../data-access/database.js";
import { resourceOwners } from "../domain/focus.js";
import { listPriceFor, type ListPrice, type PricedResource } from "../domain/listPrices.js";
import { formatMicroEuros } from "../domain/money.js";
import { hoursInPeriod, nextPeriod } from "../domain/period.js";

/** The FOCUS 1.2-preview columns the demo fills, by Azure's names (cost-usage-details-focus.md). */
const columns = [
  "BilledCost",
  "BillingAccountId",
  "BillingAccountName",
  "BillingCurrency",
  "BillingPeriodEnd",
  "BillingPeriodStart",
  "ChargeCategory",
  "ChargeClass",
  "ChargeDescription",
  "ChargeFrequency",
  "ChargePeriodEnd",
  "ChargePeriodStart",
  "EffectiveCost",
  "InvoiceId",
  "InvoiceIssuerName",
  "ListCost",
  "ListUnitPrice",
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
  "SkuPriceId",
  "SubAccountId",
  "SubAccountName",
  "Tags",
  "x_ResourceGroupName",
] as const;

type Column = (typeof columns)[number];

const subscription = "/subscriptions/5e1d0000-0000-4000-8000-00000000d3m0";
const group = "rg-leiden-prod";

/** The hub's shared resources: no department tag, so the reconciliation shows them unallocated. */
const sharedResources: { name: string; type: string; armType: string }[] = [
  { name: "fw-hub", type: "azure-native:network:AzureFirewall", armType: "azureFirewalls" },
  { name: "bas-hub", type: "azure-native:network:BastionHost", armType: "bastionHosts" },
  { name: "vpngw-hub", type: "azure-native:network:VirtualNetworkGateway", armType: "virtualNetworkGateways" },
  { name: "agw-loket", type: "azure-native:network:ApplicationGateway", armType: "applicationGateways" },
  { name: "ddos-hub", type: "azure-native:network:DdosProtectionPlan", armType: "ddosProtectionPlans" },
  { name: "pip-fw-hub", type: "azure-native:network:PublicIPAddress", armType: "publicIPAddresses" },
  { name: "pip-agw-loket", type: "azure-native:network:PublicIPAddress", armType: "publicIPAddresses" },
];

interface Charge {
  id: string;
  name: string;
  armType: string;
  price: ListPrice;
  quantity: bigint;
  tags: Record<string, string>;
}

function charges(inventory: Inventory, hours: bigint): Charge[] {
  const departments = new Map(inventory.departments.map((d) => [d.id, d]));
  const out: Charge[] = [];
  const add = (name: string, armType: string, resource: PricedResource, quantity: bigint, tags = {}) => {
    const price = listPriceFor(resource);
    if (price === undefined) return;
    const id = `${subscription}/resourceGroups/${group}/providers/${armType}/${name}`;
    out.push({ id, name, armType, price, quantity, tags });
  };
  inventory.hosts.forEach((h, i) => {
    const d = departments.get(h.department);
    // one server in seven untagged (found by resource id), one in five tagged `Department`
    const key = i % 5 === 4 ? "Department" : "department";
    const tags =
      i % 7 === 3
        ? {}
        : { [key]: h.department, costCenter: d?.costCenter ?? "", environment: h.environment, managedBy: "pulumi" };
    add(h.name, "Microsoft.Compute/virtualMachines", { kind: "vm", vmSize: h.vmSize, os: h.os }, hours, tags);
    for (const disk of h.disks)
      add(disk.name, "Microsoft.Compute/disks", { kind: "disk", sku: disk.sku, sizeGiB: disk.sizeGiB }, 1n, tags);
  });
  for (const s of inventory.shares)
    add(
      `stleidenprod/fileServices/default/shares/${s.name}`,
      "Microsoft.Storage/storageAccounts",
      { kind: "share", tier: s.tier, quotaGiB: s.quotaGiB },
      1n,
      { department: s.department },
    );
  for (const r of sharedResources) {
    const price = listPriceFor({ kind: "resource", type: r.type });
    add(r.name, `Microsoft.Network/${r.armType}`, { kind: "resource", type: r.type }, price?.perHourMicro ? hours : 1n);
  }
  return out;
}

const iso = (period: string): string => `${period}-01T00:00:00Z`;

function monthRows(inventory: Inventory, period: string, index: number): Record<Column, string>[] {
  const hours = BigInt(hoursInPeriod(period));
  const invoice = `G0${period.replace("-", "")}7351`;
  const base = {
    BillingAccountId: "/providers/Microsoft.Billing/billingAccounts/73510000",
    BillingAccountName: "Gemeente Leiden",
    BillingCurrency: "EUR",
    BillingPeriodStart: iso(period),
    BillingPeriodEnd: iso(nextPeriod(period)),
    ChargePeriodStart: iso(period),
    ChargePeriodEnd: iso(nextPeriod(period)),
    ChargeClass: "",
    InvoiceId: invoice,
    InvoiceIssuerName: "Microsoft",
    ProviderName: "Microsoft",
    PublisherName: "Microsoft",
    RegionId: "westeurope",
    RegionName: "West Europe",
    SubAccountId: subscription,
    SubAccountName: "leiden-prod",
    x_ResourceGroupName: group,
  };
  const rows = charges(inventory, hours).map((c): Record<Column, string> => {
    const list = c.price.unitPriceMicro * c.quantity;
    // An enterprise agreement's discount on compute (6.5 %): EffectiveCost below ListCost, to the 10th decimal.
    const effective = c.price.serviceCategory === "Compute" ? (list * 935n) / 1000n : list;
    const amount = formatMicroEuros(effective);
    return {
      ...base,
      BilledCost: amount,
      EffectiveCost: amount,
      ListCost: formatMicroEuros(list),
      ListUnitPrice: formatMicroEuros(c.price.unitPriceMicro),
      ChargeCategory: "Usage",
      ChargeDescription: c.price.meterName,
      ChargeFrequency: "Usage-Based",
      PricingQuantity: c.quantity.toString(),
      PricingUnit: c.price.unit,
      ResourceId: c.id,
      ResourceName: c.name.split("/").pop() ?? c.name,
      ResourceType: c.armType,
      ServiceCategory: c.price.serviceCategory,
      ServiceName: c.price.serviceName,
      SkuPriceId: c.price.meter,
      Tags: JSON.stringify(c.tags),
    };
  });
  // a quarterly Azure credit (Microsoft's sustainability programme credit, say): a negative, untagged row
  if (index % 3 === 0)
    rows.push({
      ...(Object.fromEntries(columns.map((c) => [c, ""])) as Record<Column, string>),
      ...base,
      BilledCost: "-125.00",
      EffectiveCost: "-125.00",
      ListCost: "0",
      ChargeCategory: "Credit",
      ChargeDescription: "Azure credit",
      ChargeFrequency: "One-Time",
      ServiceCategory: "Other",
      ServiceName: "Azure Credit",
      Tags: "{}",
    });
  return rows;
}

function csvOf(rows: readonly Record<Column, string>[]): string {
  const quote = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
  const lines = [columns.join(","), ...rows.map((r) => columns.map((c) => quote(r[c])).join(","))];
  return `${lines.join("\r\n")}\r\n`;
}

/** Write the months' exports under `dir` and import them; returns the rows imported (0 when already there). */
export async function importDemoBill(
  ledger: Ledger,
  inventory: Inventory,
  periods: readonly string[],
  dir: string,
): Promise<{ months: number; rows: number }> {
  mkdirSync(dir, { recursive: true });
  const files = periods.map((period, i) => {
    const file = join(dir, `leiden-prod-focus-${period}.csv.gz`);
    writeFileSync(file, gzipSync(csvOf(monthRows(inventory, period, i))));
    return file;
  });
  const result = await importBill(ledger, files, { actor: "muniops demo", owners: resourceOwners(inventory) });
  return { months: periods.length, rows: result.files.reduce((a, f) => a + f.rows, 0) };
}
