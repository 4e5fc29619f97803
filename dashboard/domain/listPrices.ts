// Azure-like list prices for what the leiden-prod stack deploys: the VM sizes of stacks/vmSizes.ts, the
// managed-disk SKUs and file-share tiers of the inventory, and the shared resources of the hub (firewall,
// Bastion, VPN gateway, the digital counter's WAF, DDoS plan, ...). They price the demo's FOCUS bill and
// `muniops plan --compare` "at list price", beside the internal rate card.
//
// ILLUSTRATIVE prices in EUR, excluding VAT, in the order of Azure's pay-as-you-go prices for West Europe
// (late 2025), NOT quoted from Microsoft's price sheet: no authoritative price list could be consulted
// while writing this table. Use the Azure pricing calculator or the Retail Prices API
// (prices.azure.com/api/retail/prices) for real figures. A month is 730 hours, as Azure's calculator has it.
//
// Amounts are integer millionths of a euro (as rates in rateCard.ts), so a month is an exact multiple.
import { hoursPerMonth, type PricedResource } from "../../contracts/planCosting.js";
import { formatMicroEuros } from "./money.js";

export type { PricedResource };
export { hoursPerMonth };

/** FOCUS ServiceCategory values used here (FOCUS 1.2, ServiceCategory allowed values). */
export type ListServiceCategory = "Compute" | "Storage" | "Networking" | "Security" | "Management and Governance";

/** The unit one list price is per (FOCUS PricingUnit). */
export type ListPriceUnit = "1 Hour" | "1/Month" | "1 GiB/Month" | "1 GB" | "10K Operations";

export interface ListPrice {
  /** Stable meter id, e.g. "vm/Standard_D4s_v5/windows", "disk/Premium_LRS/P30"; a FOCUS SkuPriceId. */
  meter: string;
  /** Human meter name, e.g. "D4s v5 Windows", "P30 LRS Disk". */
  meterName: string;
  /** FOCUS ServiceName, e.g. "Virtual Machines". */
  serviceName: string;
  serviceCategory: ListServiceCategory;
  unit: ListPriceUnit;
  /** EUR millionths per unit (FOCUS ListUnitPrice). */
  unitPriceMicro: bigint;
  /** EUR millionths for an hour of the resource as deployed; only for hourly priced resources. */
  perHourMicro?: bigint;
  /** EUR millionths for a month of the resource as deployed; undefined when priced by usage only. */
  perMonthMicro?: bigint;
}

const eur = (text: string): bigint => {
  const [whole = "0", fraction = ""] = text.split(".");
  return BigInt(whole) * 1_000_000n + BigInt(fraction.padEnd(6, "0"));
};

/** Per hour: [Linux, Windows] (the Windows price includes the Windows Server licence). */
const vmHourly: Readonly<Record<string, readonly [string, string]>> = {
  Standard_B2s: ["0.0456", "0.0548"],
  Standard_B2ms: ["0.0912", "0.1096"],
  Standard_B4ms: ["0.1824", "0.2192"],
  Standard_D2s_v5: ["0.1060", "0.1980"],
  Standard_D4s_v5: ["0.2120", "0.3960"],
  Standard_D8s_v5: ["0.4240", "0.7920"],
  Standard_D16s_v5: ["0.8480", "1.5840"],
  Standard_D2as_v5: ["0.0950", "0.1870"],
  Standard_D4as_v5: ["0.1900", "0.3740"],
  Standard_E2s_v5: ["0.1390", "0.2310"],
  Standard_E4s_v5: ["0.2780", "0.4620"],
  Standard_E8s_v5: ["0.5560", "0.9240"],
  Standard_E16s_v5: ["1.1120", "1.8480"],
  Standard_F4s_v2: ["0.1870", "0.3710"],
  Standard_F8s_v2: ["0.3740", "0.7420"],
};

/** Managed disks are billed per month by tier: the smallest tier at least as large as the disk. */
const diskTiers: readonly { maxGiB: number; premium: string; standardSsd: string; p: string; e: string }[] = [
  { maxGiB: 32, p: "P4", e: "E4", premium: "4.90", standardSsd: "2.40" },
  { maxGiB: 64, p: "P6", e: "E6", premium: "9.46", standardSsd: "4.80" },
  { maxGiB: 128, p: "P10", e: "E10", premium: "18.25", standardSsd: "9.60" },
  { maxGiB: 256, p: "P15", e: "E15", premium: "35.17", standardSsd: "19.20" },
  { maxGiB: 512, p: "P20", e: "E20", premium: "67.79", standardSsd: "38.40" },
  { maxGiB: 1024, p: "P30", e: "E30", premium: "125.27", standardSsd: "76.80" },
  { maxGiB: 2048, p: "P40", e: "E40", premium: "239.77", standardSsd: "153.60" },
  { maxGiB: 4096, p: "P50", e: "E50", premium: "459.37", standardSsd: "307.20" },
  { maxGiB: 8192, p: "P60", e: "E60", premium: "917.40", standardSsd: "614.40" },
  { maxGiB: 16384, p: "P70", e: "E70", premium: "1751.20", standardSsd: "1228.80" },
  { maxGiB: 32767, p: "P80", e: "E80", premium: "3338.00", standardSsd: "2457.60" },
];
/** Zone-redundant disks cost more than locally redundant ones: ×1.5 for premium, ×1.25 for standard SSD. */
const zrsFactor: Readonly<Record<string, readonly [bigint, bigint]>> = {
  Premium_LRS: [1n, 1n],
  Premium_ZRS: [3n, 2n],
  StandardSSD_LRS: [1n, 1n],
  StandardSSD_ZRS: [5n, 4n],
};

/** Azure Files, per GiB-month of (provisioned or used) capacity, LRS. */
const shareTiers: Readonly<Record<string, string>> = {
  TransactionOptimized: "0.0600",
  Hot: "0.0255",
  Cool: "0.0150",
  Premium: "0.1600",
};

type Fixed = Omit<ListPrice, "meter" | "unitPriceMicro" | "perHourMicro" | "perMonthMicro"> & { price: string };
const fixed = (
  meterName: string,
  serviceName: string,
  serviceCategory: ListServiceCategory,
  unit: ListPriceUnit,
  price: string,
): Fixed => ({ meterName, serviceName, serviceCategory, unit, price });

/** The stack's other resource types, by Pulumi type token, with the SKU stacks/components deploys. */
const resourcePrices: Readonly<Record<string, Fixed>> = {
  "azure-native:network:AzureFirewall": fixed("Standard Deployment", "Azure Firewall", "Security", "1 Hour", "1.1800"),
  "azure-native:network:BastionHost": fixed("Standard Gateway", "Azure Bastion", "Networking", "1 Hour", "0.2900"),
  "azure-native:network:VirtualNetworkGateway": fixed("VpnGw2AZ", "VPN Gateway", "Networking", "1 Hour", "0.5160"),
  "azure-native:network:ApplicationGateway": fixed(
    "WAF v2 Fixed Cost",
    "Application Gateway",
    "Networking",
    "1 Hour",
    "0.4190",
  ),
  "azure-native:network:DdosProtectionPlan": fixed(
    "Network Protection",
    "Azure DDoS Protection",
    "Security",
    "1/Month",
    "2760.00",
  ),
  "azure-native:network:PublicIPAddress": fixed("Standard IPv4", "Virtual Network", "Networking", "1 Hour", "0.0046"),
  "azure-native:network:PrivateEndpoint": fixed("Private Endpoint", "Private Link", "Networking", "1 Hour", "0.0093"),
  "azure-native:privatedns:PrivateZone": fixed("Private Zone", "Azure DNS", "Networking", "1/Month", "0.46"),
  "azure-native:recoveryservices:ProtectedItem": fixed(
    "Protected Instance (50-500 GB)",
    "Backup",
    "Storage",
    "1/Month",
    "9.20",
  ),
  "azure-native:operationalinsights:Workspace": fixed(
    "Pay-as-you-go Data Ingestion",
    "Log Analytics",
    "Management and Governance",
    "1 GB",
    "2.5300",
  ),
  "azure-native:network:FlowLog": fixed("Flow Logs Collected", "Network Watcher", "Networking", "1 GB", "0.4600"),
  "azure-native:keyvault:Vault": fixed("Standard Operations", "Key Vault", "Security", "10K Operations", "0.0280"),
  "azure-native:storage:StorageAccount": fixed(
    "Hot ZRS Data Stored",
    "Storage Accounts",
    "Storage",
    "1 GiB/Month",
    "0.0230",
  ),
};

/**
 * Types that carry no charge of their own (their cost is in the VM, gateway or policy they belong to).
 * listPriceFor prices them at 0 so "no list price known" stays distinguishable from "free".
 */
export const freeResourceTypes: ReadonlySet<string> = new Set([
  "azure-native:resources:ResourceGroup",
  "azure-native:network:VirtualNetwork",
  "azure-native:network:Subnet",
  "azure-native:network:VirtualNetworkPeering",
  "azure-native:network:NetworkSecurityGroup",
  "azure-native:network:RouteTable",
  "azure-native:network:NetworkInterface",
  "azure-native:network:NetworkWatcher",
  "azure-native:network:FirewallPolicy",
  "azure-native:network:FirewallPolicyRuleCollectionGroup",
  "azure-native:network:WebApplicationFirewallPolicy",
  "azure-native:network:LocalNetworkGateway",
  "azure-native:network:VirtualNetworkGatewayConnection",
  "azure-native:privatedns:VirtualNetworkLink",
  "azure-native:privatedns:PrivateRecordSet",
  "azure-native:network:PrivateDnsZoneGroup",
  "azure-native:managedidentity:UserAssignedIdentity",
  "azure-native:authorization:RoleAssignment",
  "azure-native:keyvault:Secret",
  "azure-native:compute:VirtualMachineExtension",
  "azure-native:recoveryservices:Vault",
  "azure-native:recoveryservices:ProtectionPolicy",
  "azure-native:insights:DiagnosticSetting",
  "azure-native:monitor:DiagnosticSetting",
  "azure-native:storage:FileServiceProperties",
  "azure-native:storage:BlobServiceProperties",
  "azure-native:storage:FileShare",
  "azure-native:storage:BlobContainer",
]);

function withPeriods(price: Omit<ListPrice, "perHourMicro" | "perMonthMicro">): ListPrice {
  if (price.unit === "1 Hour")
    return { ...price, perHourMicro: price.unitPriceMicro, perMonthMicro: price.unitPriceMicro * hoursPerMonth };
  if (price.unit === "1/Month") return { ...price, perMonthMicro: price.unitPriceMicro };
  return price;
}

function vmPrice(vmSize: string, os: "linux" | "windows"): ListPrice | undefined {
  const row = Object.hasOwn(vmHourly, vmSize) ? vmHourly[vmSize] : undefined;
  if (!row) return undefined;
  const series = vmSize.replace(/^Standard_/, "").replace(/_/g, " ");
  return withPeriods({
    meter: `vm/${vmSize}/${os}`,
    meterName: `${series} ${os === "windows" ? "Windows" : "Linux"}`,
    serviceName: "Virtual Machines",
    serviceCategory: "Compute",
    unit: "1 Hour",
    unitPriceMicro: eur(os === "windows" ? row[1] : row[0]),
  });
}

function diskPrice(sku: string, sizeGiB: number): ListPrice | undefined {
  const factor = Object.hasOwn(zrsFactor, sku) ? zrsFactor[sku] : undefined;
  const tier = diskTiers.find((t) => sizeGiB <= t.maxGiB);
  if (!factor || !tier || sizeGiB <= 0) return undefined;
  const premium = sku.startsWith("Premium");
  const name = premium ? tier.p : tier.e;
  const redundancy = sku.endsWith("ZRS") ? "ZRS" : "LRS";
  return withPeriods({
    meter: `disk/${sku}/${name}`,
    meterName: `${name} ${redundancy} Disk`,
    serviceName: premium ? "Premium SSD Managed Disks" : "Standard SSD Managed Disks",
    serviceCategory: "Storage",
    unit: "1/Month",
    unitPriceMicro: (eur(premium ? tier.premium : tier.standardSsd) * factor[0]) / factor[1],
  });
}

function sharePrice(tier: string, quotaGiB: number): ListPrice | undefined {
  const perGiB = Object.hasOwn(shareTiers, tier) ? shareTiers[tier] : undefined;
  if (perGiB === undefined) return undefined;
  const unitPriceMicro = eur(perGiB);
  return {
    meter: `share/${tier}`,
    meterName: `${tier} LRS Data Stored`,
    serviceName: "Azure Files",
    serviceCategory: "Storage",
    unit: "1 GiB/Month",
    unitPriceMicro,
    perMonthMicro: unitPriceMicro * BigInt(quotaGiB),
  };
}

function resourcePrice(type: string): ListPrice | undefined {
  if (freeResourceTypes.has(type))
    return {
      meter: `free/${type}`,
      meterName: "No charge",
      serviceName: type.split(":")[1] ?? type,
      serviceCategory: "Networking",
      unit: "1/Month",
      unitPriceMicro: 0n,
      perMonthMicro: 0n,
    };
  const row = Object.hasOwn(resourcePrices, type) ? resourcePrices[type] : undefined;
  if (!row) return undefined;
  const { price, ...rest } = row;
  return withPeriods({ ...rest, meter: `resource/${type}`, unitPriceMicro: eur(price) });
}

/**
 * The list price of one resource, or undefined when the table has none (an unknown size, SKU or type):
 * callers show that as "not priced" rather than as zero. Compute (VM) prices exclude the VM's disks.
 */
export function listPriceFor(resource: PricedResource): ListPrice | undefined {
  switch (resource.kind) {
    case "vm":
      return vmPrice(resource.vmSize, resource.os);
    case "disk":
      return diskPrice(resource.sku, resource.sizeGiB);
    case "share":
      return sharePrice(resource.tier, resource.quotaGiB);
    case "resource":
      return resourcePrice(resource.type);
  }
}

/** An inventory host priced at list: its VM and every disk, one line each (disks named by the inventory). */
export function listPricesForHost(host: {
  vmSize: string;
  os: "linux" | "windows";
  disks: readonly { name: string; sizeGiB: number; sku: string }[];
}): { item: string; price: ListPrice | undefined }[] {
  return [
    { item: host.vmSize, price: listPriceFor({ kind: "vm", vmSize: host.vmSize, os: host.os }) },
    ...host.disks.map((d) => ({ item: d.name, price: listPriceFor({ kind: "disk", sku: d.sku, sizeGiB: d.sizeGiB }) })),
  ];
}

/** "12.345678" → the EUR decimal string of a list price amount, trailing zeros after cents dropped. */
export const formatListPrice = (micro: bigint): string => formatMicroEuros(micro);
